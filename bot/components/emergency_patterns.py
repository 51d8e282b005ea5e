"""Words that mean someone may be in danger right now, in every language the bot serves.

Pure Python (no Rasa import): the Rasa component (emergency_classifier.py) uses it in the engine, and the tests
run it directly. The list is deliberately explicit so that staff and reviewers can read it.

Decisions (keep them when editing the lists):
- Recall first. Missing a real emergency may cost a life; a false alarm costs the resident one short message
  (the 119/110 guidance) before their question is answered anyway. So a question that names a live danger
  ("火事の時の避難場所", "救急病院はどこ") still gets the guidance first: it could be live.
- False positives are kept low where a danger word is mostly used for knowledge or paperwork: 緊急 only as
  緊急です/緊急事態 (緊急避難場所 and 緊急安全確保 are terms of the evacuation system), 火災 not in
  火災保険/火災報知器, "emergency" not in "emergency bag/kit/evacuation site", and the English, Portuguese and
  Spanish words for "help" only in calls for help ("help!", "please help", "socorro"), not in "help me with".
- Matching is done on a normalized text: NFKC (full-width → ASCII), lower case, katakana → hiragana,
  curly apostrophes → ', and for Latin-script languages also without accents (residents often type
  without them: "socorro, a agua esta entrando", "cuu toi").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class EmergencyMatch:
    """One emergency word found in a message: the group it belongs to and the normalized text matched."""

    group: str
    matched: str


def _katakana_to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def normalize(text: str) -> str:
    """The form the Japanese, Chinese and Korean patterns are written in."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", _katakana_to_hiragana(text)).strip()


def fold_accents(text: str) -> str:
    """The form the Latin-script patterns are written in: no accents, đ → d."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Japanese: hiragana wherever residents may type kana instead of kanji.
_JAPANESE = {
    "ja_help": (
        # "手続きを助けて", "書き方を助けて": help with paperwork
        r"(?<!手続きを)(?<!書き方を)(?<!申請を)(?<!書類を)助けて|たすけて|助けを(?:呼|よ)|助けが(?:ほしい|欲しい|必要)|救助|救出|"
        r"(?:誰|だれ)か(?:来て|きて)|(?:早|はや)く(?:来て|きて)"
    ),
    "ja_fire": (
        r"火事|かじ(?:です|だ|が起|!)|火が(?:出|で|つい|消えない|きえない|まわ)|燃えて|もえて|"
        r"煙が(?:出|で|充満|すごい|入)|けむりが|焦げ臭|こげくさ|(?<!防)火災(?!保険|報知|警報|予防)"
    ),
    "ja_swept_away": r"流され|ながされ|押し流",
    "ja_cannot_escape": (
        r"逃げられ(?:ない|ません)|にげられ(?:ない|ません)|逃げれ(?:ない|ません)|にげれ(?:ない|ません)|"
        r"逃げ遅れ|にげおくれ|避難できない|出られ(?:ない|ません)|でられ(?:ない|ません)"
    ),
    "ja_ambulance": r"救急|きゅうきゅう|(?<!\d)(?:119|911)(?!\d)|110番",
    "ja_unconscious": r"意識が(?:ない|無い|あり?ません|なく|もうろう)|いしきが(?:ない|なく)|意識不明|気を失",
    "ja_not_breathing": (
        r"息を?(?:して|し)(?:い)?ない|息が(?:ない|できない|苦し|くるし)|いきを?して(?:い)?ない|"
        r"呼吸(?:が(?:ない|止|でき(?:ない|ません)|苦し)|して(?:い)?ない)|息苦し"
    ),
    "ja_water_coming_in": (
        r"水が(?:入って|はいって|上が|あが|(?:来|き)て(?!(?:い)?ない|いません|ません))|"
        r"みずが(?:はいって|きて(?!(?:い)?ない))|浸水して(?:き|い)|床上(?:まで|浸水)|水かさ|"
        r"(?:水|みず)が(?:ひざ|膝|腰|こし|胸|むね|首|くび)"
    ),
    "ja_trapped": r"閉じ込め|とじこめ|取り残され|とりのこされ|下敷き|したじき",
    "ja_drowning": r"溺れ|おぼれ",
    "ja_cannot_move": r"動けない|うごけない|動けません|倒れ(?:た|て)|たおれ(?:た|て)",
    "ja_injury": (
        r"血が(?:止まらない|とまらない|出て|でて)|出血|大けが|大怪我|(?:けが|怪我)(?:を)?(?:した|して)|"
        r"けが人|怪我人|骨が折れ|骨折|胸が(?:痛|苦し|くるし)|けいれん|痙攣|急病"
    ),
    "ja_collapse": r"崩れ(?:た|て)|くずれ(?:た|て)|倒壊|(?:土砂|がけ|崖)崩れ(?:が(?:起き|発生)|で)",
    "ja_crime": (
        r"襲われ|おそわれ|強盗|泥棒|どろぼう|空き巣|刺され|殴られ|なぐられ|不審者が|侵入して|押し入|"
        r"(?:刃物|包丁|ないふ)を(?:持|振)"
    ),
    "ja_choking": r"(?:のど|喉)に(?:詰|つま)",
    "ja_accident": r"事故(?:に(?:あ|遭)|った|です|が起き|を起こ)|はねられ|ぶつけられ|ひかれた|轢かれ",
    "ja_life": r"緊急(?:です|事態|!)|死にそう|しにそう|命が危な|いのちがあぶな",
}

# English, Portuguese, Spanish, Vietnamese and Tagalog, on accent-folded text.
_LATIN = {
    "en_help": (
        r"^(?:please )?help\b(?! (?:me |us )?(?:with|to|find|understand|get|fill|make|choose|learn|know|about)\b)"
        r"(?! desk)|\bhelp(?: me| us)? ?!|\b(?:please|somebody|someone|anybody|anyone) help\b|"
        r"(?<!can you )(?<!could you )(?<!would you )(?<!not )(?<!n't )\bhelp (?:me|us)(?: please)?[ .]*$|"
        r"\bneed (?:urgent |immediate )?help (?:now|fast|quickly|urgently)\b|\bneed (?:urgent|immediate) help\b|"
        r"^(?:please |pls |plz )?(?:hlep|hepl|halp)\b|\bcome (?:quick|fast|quickly)\b"
    ),
    "en_fire": (
        r"\bfire\b(?! ?(?:insurance|alarm|station|drill|extinguisher|department|prevention|safety|works|fighter))|"
        r"\bburning\b|\bsmoke\b(?! ?(?:detector|alarm))"
    ),
    "en_emergency": (
        r"\bambulance\b|\b(?:911|119|110)\b|\bsos\b|\bemergency\b(?! (?:evacuation|shelter|site|kit|bag|supplies|"
        r"food|exit|broadcast|information|info|preparedness|drill|alert|mail|app|backpack)\b)"
    ),
    "en_trapped": (
        r"\btrapped\b|\bstuck\b|\bcan'?t (?:get out|escape|leave the house|move)\b|"
        r"\bcannot (?:get out|escape|move)\b|\bunable to (?:get out|escape)\b"
    ),
    "en_water": (
        r"\bdrown|\b(?:swept|washed|carried) away\b|\bwater (?:is )?(?:coming|getting|pouring|flowing) in|"
        r"\bwater is rising\b|\b(?:house|home|room|apartment) is flooding\b|\bflooding (?:my|our) (?:house|home)\b"
    ),
    "en_medical": (
        r"\bunconscious\b|\bpassed out\b|\bfainted\b|\bcollapsed\b|\bnot breathing\b|\bcan'?t breathe\b|"
        r"\bcannot breathe\b|\bheart attack\b|\bseizure\b|\bbleeding\b|\binjured\b|\b(?:badly|seriously) hurt\b|"
        r"\bdying\b"
    ),
    "en_crime": (
        r"\battacked\b|\brobbed\b|\bstabbed\b|\bburglar\b|\bintruder\b|\bcar accident\b|\bhit by a car\b|"
        r"\bbreak(?:ing)? into\b|\bbroke into\b|\bchoking\b|\bon fire\b|"
        r"\b(?:had|was in|there was) an accident\b"
    ),
    "pt_es_help": (
        r"\bsocorro\b|\bsocorr[ae]m\b|(?:^|¡)auxilio\b|\bauxilio ?!|"
        r"\bme ajud[ae]\b(?! (?:com|a|para|no|na|em)\b)|\bajudem\b|"
        r"^ajuda\b(?! (?:com|para|no|na)\b)|\bajuda ?!|\bpreciso de ajuda urgente\b|"
        r"\bayud(?:enme|ame)\b(?! (?:con|a|para)\b)|^ayuda\b(?! (?:con|para|a)\b)|\bayuda ?!|"
        r"\bnecesito ayuda urgente\b|\bvengan (?:rapido|pronto|ya)\b|\bvenham (?:rapido|logo|ja)\b"
    ),
    "pt_es_fire": r"\bfogo\b|\bincendio\b|\bqueimando\b|\bfumaca\b|\bfuego\b|\bquemando\b|\bhumo\b",
    "pt_es_emergency": r"\bambulancia\b|\bemergencia\b(?! (?:de evacuacao|de evacuacion)\b)",
    "pt_es_trapped": (
        r"\bpres[oa]s?\b|\batrapad[oa]s?\b|\bnao (?:consigo|conseguimos|consegue) (?:sair|escapar|fugir)\b|"
        r"\bno (?:puedo|podemos|puede) (?:salir|escapar)\b"
    ),
    "pt_es_water": (
        r"\bafog(?:ando|ad[oa]|ou)\b|\bahog(?:ando|ad[oa]|o)\b|\barrastad[oa]s?\b|\bleva(?:d[oa]|ram) pela\b|"
        r"\bagua (?:esta )?(?:entrando|subindo|invadindo|subiendo)\b|\bentrando (?:el )?agua\b|"
        r"\b(?:casa )?(?:esta )?(?:alagando|inundando)\b"
    ),
    "pt_es_medical": (
        r"\binconsciente\b|\bdesmai(?:ou|ad[oa])\b|\bdesmay(?:o|ad[oa])\b|\bnao (?:esta )?respira|\bno respira\b|"
        r"\bsangrando\b|\bferid[oa]s?\b|\bherid[oa]s?\b|\binfarto\b"
    ),
    "pt_es_crime": (
        r"\bacidente\b|\baccidente\b|\bassalt(?:o|ad[oa])\b|\bataca(?:d[oa]|ron)\b|\bladra?on?\b|"
        r"\brob(?:aron|ando)\b"
    ),
    "vi": (
        r"\bcuu (?:toi|voi|em|con|chung toi|me|bo|ba|anh|chi)\b|^cuu\b|\bgiup (?:toi|em|chung toi) voi\b|"
        r"\bchay nha\b|(?<!bao hiem )\bhoa hoan\b|\bcap cuu\b|\bxe cuu thuong\b|\bmac ket\b|\bbi ket\b|"
        r"\bkhong (?:the )?(?:thoat|ra ngoai|ra khoi)\b|\bduoi nuoc\b|\bchet duoi\b|\bnuoc cuon\b|\bcuon troi\b|"
        r"\bbat tinh\b|\bngat xiu\b|\bkhong tho\b|\bchay mau\b|\bnuoc (?:dang )?(?:vao|tran vao|ngap)\b|\bngap nha\b"
    ),
    "tl": (
        # "tulong sa", "tulungan mo ako sa ...": help WITH something; "basurang nasusunog": burnable garbage
        r"(?<!sa )\btulong\b(?! (?:sa|pinansyal|pang))|\btulungan\b(?! (?:mo|nyo|ninyo) (?:ako|kami) sa\b)(?! sa\b)|"
        r"\bsaklolo\b|\bsunog\b|(?<!basurang )\bnasusunog\b(?! na basura)|\bambulans(?:i)?ya\b|\bnaipit\b|"
        r"\bnakulong\b|\bhindi (?:kami |ako )?makalabas\b|\bdi (?:kami |ako )?makalabas\b|\bnalu(?:lu)?nod\b|"
        r"\btinangay\b|\bwalang malay\b|\bnahimatay\b|\bhindi humihinga\b|\bpumapasok ang tubig\b|"
        r"\bbaha sa loob\b|\bhanggang (?:bewang|baywang|dibdib|leeg)\b|\btumataas (?:pa )?ang (?:tubig|baha)\b|"
        r"\bayoko (?:na|nang) mabuhay\b|\bmagpapakamatay\b"
    ),
    # Japanese, Korean and Chinese typed in Latin letters (a phone without a Japanese keyboard)
    "romanized": (
        r"\btasukete\b|\btaore(?:ta|te)\b|\bugoka(?:nai|nakunatta)\b|\bugokenai\b|\bkyu+kyu+(?:sha)?\b|"
        r"\biki (?:(?:w?o) )?shite(?:i)?nai\b|\bishiki ga nai\b|\bkaji (?:desu|da)\b|\bmoete(?:ru|iru)?\b|"
        r"\bobore(?:ta|te)\b|\bnagasare|\btojikome|\bmizu ga (?:uchi ni |ie ni |heya ni )?(?:haitte|kite)\b|"
        r"\bchi ga tomaranai\b|\bsal+y?e?o ?ju(?:seyo|sey)\b|\bjiu ?ming\b"
    ),
}

# Chinese (simplified and traditional) and Korean, on the normalized text (no accents to fold).
_CJK_OTHER = {
    "zh": (
        # 救命講習, 救命胴衣 (a course, a life jacket): Japanese words that are not a cry for help
        r"救命(?!講習|胴衣|具|士|処置|救急|せんたー|の講習)|救救|帮帮我|幫幫我|着火|著火|失火|起火|火灾|救护车|救護車|"
        r"急救|被困|困住|出不去|溺水|淹死|昏迷|"
        r"没有意识|沒有意識|失去意识|不能呼吸|没有呼吸|沒有呼吸|流血|进水|進水|水进来|水進來|被冲走|被沖走|抢劫|搶劫"
    ),
    # "서류 작성 좀 도와주세요" (help me fill in the form), "도와줘서 고마워요" (thanks for helping): not a plea
    "ko": (
        r"(?<!작성 좀 )(?<!신고 좀 )(?<!신청 좀 )(?<!번역 좀 )(?<!것 좀 )도와주세요|도와줘(?!서)|살려|불이 ?났|화재|"
        r"구급차|갇혔|갇혀|깔렸|깔려|익사|물에 빠|의식이 없|숨을 안|숨을 쉬지|물이 들어"
    ),
}

# Asking for the services themselves ("救急車を呼んで", "call the police", "구급차 불러 주세요"), on the folded text.
# A question about them ("how do I call an ambulance", "救急車を呼ぶ方法") is not a request: see _ASKING_HOW.
_CALL_FOR_SERVICE = re.compile(
    r"(?:救急[車者社]|きゅうきゅうしゃ|警察|けいさつ|消防車?|しょうぼうしゃ?)を?\s*(?:呼んで|よんで|呼べ|よべ|お願い|おねがい|来て|きて)|"
    r"(?:119|110)番?(?:して|お願い|おねがい|を?お願い|に電話して)|"
    r"\bcall (?:an? |the )?(?:ambulance|police|cops|fire (?:department|brigade)|911|119|110)\b|"
    r"\bsend (?:an ambulance|the police|help)\b|\bget (?:an ambulance|the police)\b|"
    r"\bchamem? (?:a |uma |os )?(?:ambulancia|policia|bombeiros)\b|"
    r"\bllamen? (?:a )?(?:una ambulancia|la policia|los bomberos)\b|"
    r"叫救护车|叫救護車|快报警|快報警|报警啊|"
    r"\bgoi (?:xe cap cuu|xe cuu thuong|cap cuu|canh sat|cuu hoa)\b|"
    r"\btumawag (?:kayo |ka )?(?:ng|sa) (?:ambulansya|pulis|bumbero|119|110)\b|"
    r"(?:구급차|경찰|119) ?(?:좀 )?불러|신고해 ?주세요"
)
_ASKING_HOW = re.compile(
    r"どうやって|方法|かけ方|やり方|どうすれば|ですか|ますか|って|のに|とき|\bhow\b|\bcan i\b|\bdo i\b|\bshould\b|"
    r"\bif i\b|\bwhen i\b|\bwhat (?:do|should)\b|\bano ang\b|\bkapag\b|\bkung\b|"
    r"\bcost|\bfree\b|\bcomo\b|\bpaano\b|\bpwede\b|\bmay bayad\b|\blam sao\b|\bcach\b|\bthe nao\b|"
    r"\bco mat\b|怎么|如何|吗|어떻게|나요|까요|돈"
)

_COMPILED_NORMALIZED = [(group, re.compile(p)) for group, p in (_JAPANESE | _CJK_OTHER).items()]
_COMPILED_FOLDED = [(group, re.compile(p)) for group, p in _LATIN.items()]
# Vietnamese with its accents is unambiguous where the folded form is not (cháy = fire, chạy = run).
_VIETNAMESE_ACCENTED = re.compile(
    r"(?<!rác )(?<!hỏa hoạn )(?<!bảo hiểm )(?<!phòng )(?<!chữa )cháy(?! được| nổ)|cứu tôi|cứu với|cứu em"
)


# Words that name an emergency service, a kind of disaster or a plea, and so also appear in questions ABOUT them
# ("救急車って有料ですか", "seguro de incêndio", "what do I say when I call 119", "이 서류 좀 도와주세요"). Alone
# they are a weaker sign than words that describe a danger (燃えている, 息をしていない): the detector lets the
# meaning of the whole message decide (emergency_semantic.decide).
_MENTION = re.compile(
    r"救急|きゅうきゅう|(?:119|110|911)番?|sos|ambulance|emergency|emergencia|ambulancia|fire|"
    r"incendio|火災|火灾|救护车|救護車|急救|화재|구급차|cap cuu|xe cuu thuong|ambulans(?:i)?ya|帮帮我|幫幫我"
)


# A message about the past ("去年の水害", "my car was in an accident last month"): its danger words tell a story, so
# they count as mentions and the meaning decides.
_PAST = re.compile(
    r"去年|昨年|おととし|先週|先月|以前|昔|この前|(?:19|20)\d\d年|上个月|上周|上星期|작년|지난달|지난주|"
    r"\blast (?:year|month|week)\b|\b(?:years?|months?|weeks?) ago\b|\bin (?:19|20)\d\d\b|"
    r"\b(?:ano|mes|semana|año) pasad[oa]\b|\b(?:ano|mes) passado\b|\bsemana passada\b|"
    r"\bnam ngoai\b|\bthang truoc\b|\btuan truoc\b|\bnoong isang (?:taon|buwan|linggo)\b|"
    r"\bnakaraang (?:taon|buwan|linggo)\b"
)


def about_the_past(text: str) -> bool:
    return _PAST.search(fold_accents(normalize(text))) is not None


def is_mention(match: EmergencyMatch) -> bool:
    """Whether a match is only a mention (a service, a disaster's name, a plea), not a described danger."""
    return _MENTION.fullmatch(match.matched.strip(" !?")) is not None


def find_emergency(text: str) -> list[EmergencyMatch]:
    """Every emergency word in the message (empty when there is none)."""
    normalized = normalize(text)
    if not normalized:
        return []
    folded = fold_accents(normalized)
    found = [
        EmergencyMatch(group, m.group(0))
        for group, pattern in _COMPILED_NORMALIZED
        for m in pattern.finditer(normalized)
    ]
    found += [
        EmergencyMatch(group, m.group(0)) for group, pattern in _COMPILED_FOLDED for m in pattern.finditer(folded)
    ]
    found += [EmergencyMatch("vi", m.group(0)) for m in _VIETNAMESE_ACCENTED.finditer(normalized)]
    # Kana, kanji and hangul on the normalized text (folding decomposes them), Latin words on the folded one.
    if not (_ASKING_HOW.search(folded) or _ASKING_HOW.search(normalized)):
        calls = {m.group(0) for text in (normalized, folded) for m in _CALL_FOR_SERVICE.finditer(text)}
        found += [EmergencyMatch("call_for_service", call) for call in sorted(calls)]
    return found


def is_emergency(text: str) -> bool:
    return bool(find_emergency(text))
