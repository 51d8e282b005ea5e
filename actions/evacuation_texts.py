"""What residents read about evacuation: short, plain Japanese, with English and Portuguese.

Every function takes the answer language ("ja", "en" or "pt") and returns finished text. Nothing here states
a Joso-specific fact that is not in the data: for what the data cannot say, residents are sent to the city.
"""

from __future__ import annotations

import re

from knowledge_base.catalog import CITY_MAIN_PHONE
from knowledge_base.disaster.levels import EVACUATE_BY_LEVEL_4, LEVELS, level
from knowledge_base.disaster.state import DisasterState
from knowledge_base.shelters.finder import ShelterSearch, Suggestion
from knowledge_base.shelters.geo import map_url
from knowledge_base.shelters.hazards import Hazard
from knowledge_base.shelters.registry import Whereabouts
from knowledge_base.shelters.status import Status

HAZARD_MAP_PORTAL = "https://disaportal.gsi.go.jp/"

_T: dict[str, dict[str, str]] = {
    "demo": {
        "ja": "【デモデータ】これは架空の避難場所です。本当の避難には使えません。",
        "en": "[DEMO DATA] These shelters are fictional. Do not use them in a real emergency.",
        "pt": "[DADOS DE DEMONSTRAÇÃO] Estes abrigos são fictícios. Não os use numa emergência real.",
    },
    "heading": {
        "ja": "{hazard}のときの避難場所（近い順）",
        "en": "Evacuation sites for: {hazard} (nearest first)",
        "pt": "Locais de evacuação para: {hazard} (mais próximos primeiro)",
    },
    "heading_disaster": {
        "ja": "{hazard}のときの避難場所（開設中を先に表示）",
        "en": "Evacuation sites for: {hazard} (open ones first)",
        "pt": "Locais de evacuação para: {hazard} (abertos primeiro)",
    },
    "from_town": {
        "ja": "「{town}」の避難場所のあたりからの距離です。今いる場所から探すには、位置情報を送ってください。",
        "en": "Distances are from the area of “{town}”. Share your location to search from where you are.",
        "pt": "As distâncias são a partir da área de “{town}”. Envie sua localização para buscar de onde você está.",
    },
    "distance": {
        "ja": "直線で約{distance}",
        "en": "about {distance} in a straight line",
        "pt": "cerca de {distance} em linha reta",
    },
    "map": {"ja": "地図", "en": "Map", "pt": "Mapa"},
    "straight_line": {
        "ja": "距離は直線です。危ない道や川の近くは通らないでください。",
        "en": "Distances are in a straight line. Avoid dangerous roads and rivers.",
        "pt": "As distâncias são em linha reta. Evite ruas perigosas e rios.",
    },
    "stay_high": {
        "ja": "外がすでに危ないときは、無理に移動せず、建物の2階以上など高い所へ。",
        "en": "If it is already dangerous outside, do not go out: move to the 2nd floor or higher.",
        "pt": "Se já estiver perigoso lá fora, não saia: vá para o 2º andar ou mais alto.",
    },
    "alert_now": {
        "ja": "いま 警戒レベル{level}（{name}）が出ています。",
        "en": "Alert level {level} ({name}) is in force now.",
        "pt": "O nível de alerta {level} ({name}) está em vigor agora.",
    },
    "none_open": {
        "ja": "開設した避難所の情報は、まだありません。市の防災無線やお知らせも確認してください。",
        "en": "No shelter has been reported open yet. Also listen to the city's announcements.",
        "pt": "Ainda não há informação de abrigo aberto. Ouça também os avisos da prefeitura.",
    },
    "status_unknown": {
        "ja": "いまは開設状況を確認できません。",
        "en": "The opening status cannot be checked right now.",
        "pt": "Não é possível verificar agora se os abrigos estão abertos.",
    },
    "outside_area": {
        "ja": "この場所は{area}の外のようです。今いる市町村の避難場所も確認してください。",
        "en": "This place seems to be outside {area}. Also check the shelters of the town you are in.",
        "pt": "Este local parece estar fora de {area}. Verifique também os abrigos da cidade onde você está.",
    },
    "no_site": {
        "ja": "近くに{hazard}の避難場所がデータにありません。市役所（代表 {phone}）に確認してください。",
        "en": "There is no evacuation site for {hazard} nearby in the data. Please ask the city office ({phone}).",
        "pt": "Não há local de evacuação para {hazard} por perto nos dados. Consulte a prefeitura ({phone}).",
    },
    "no_data_nearby": {
        "ja": "近くの避難場所のデータがありません（案内できるのは{area}の避難場所です）。"
        "今いる市町村の避難場所は、ハザードマップポータルサイト {portal} などで確認してください。",
        "en": "There is no shelter data near you (this service covers {area}). "
        "Check the shelters where you are, for example on the hazard map portal {portal}.",
        "pt": "Não há dados de abrigos perto de você (este serviço cobre {area}). "
        "Verifique os abrigos do lugar onde você está, por exemplo no portal {portal}.",
    },
    "outside_japan": {
        "ja": "送られた位置は日本の外のようです。位置情報が正しいか確かめて、もう一度送ってください。",
        "en": "The location you sent seems to be outside Japan. Please check it and send it again.",
        "pt": "A localização enviada parece estar fora do Japão. Verifique e envie novamente.",
    },
    "welfare_heading": {
        "ja": "介助が必要な方のための福祉避難所：",
        "en": "Welfare shelters for people who need care:",
        "pt": "Abrigos para pessoas que precisam de cuidados:",
    },
    "welfare_not_for_hazard": {
        "ja": "（{hazard}の避難場所には指定されていません）",
        "en": "(not designated for {hazard})",
        "pt": "(não designado para {hazard})",
    },
    "welfare_check": {
        "ja": "福祉避難所が開いているか、受け入れてもらえるかは、市役所（代表 {phone}）に確認してから向かってください。"
        "確認できないときや急ぐときは、上の避難場所へ。",
        "en": "Before going to a welfare shelter, ask the city office ({phone}) whether it is open and can take you. "
        "If you cannot check or must hurry, go to a site above.",
        "pt": "Antes de ir a um abrigo de cuidados, pergunte à prefeitura ({phone}) se está aberto e pode recebê-lo. "
        "Se não puder confirmar ou tiver pressa, vá a um local acima.",
    },
    "welfare_none": {
        "ja": "福祉避難所のデータがありません。介助が必要な方は、市役所（代表 {phone}）に相談してください。",
        "en": "There is no welfare shelter in the data. If you need care, please ask the city office ({phone}).",
        "pt": "Não há abrigo de cuidados nos dados. Se precisar de cuidados, consulte a prefeitura ({phone}).",
    },
    "more": {
        "ja": "ほかの探し方もできます。",
        "en": "You can also search another way.",
        "pt": "Você também pode buscar de outra forma.",
    },
    "button_care": {"ja": "介助が必要な方", "en": "I need care", "pt": "Preciso de cuidados"},
    "button_other_hazard": {"ja": "ほかの災害で探す", "en": "Another hazard", "pt": "Outro desastre"},
    "button_find_shelter": {"ja": "避難場所を探す", "en": "Find a shelter", "pt": "Procurar abrigo"},
    "ask_location": {
        "ja": "近くの避難場所を探します。今いる場所の位置情報を送ってください。\n"
        "町名を送っても探せます（例：「{example}の避難場所」）。",
        "en": "I will look for the nearest evacuation sites. Please share your location.\n"
        "You can also send a town name (e.g. “{example} shelter”).",
        "pt": "Vou procurar os locais de evacuação mais próximos. Envie sua localização.\n"
        "Você também pode enviar o nome do bairro (ex.: “abrigo {example}”).",
    },
    "ask_location_no_town": {
        "ja": "近くの避難場所を探します。今いる場所の位置情報を送ってください。",
        "en": "I will look for the nearest evacuation sites. Please share your location.",
        "pt": "Vou procurar os locais de evacuação mais próximos. Envie sua localização.",
    },
    "stale_location": {
        "ja": "前に送られた位置情報は時間がたっています。",
        "en": "The location you sent earlier is too old.",
        "pt": "A localização enviada antes é antiga.",
    },
    "bad_location": {
        "ja": "位置情報を読み取れませんでした。",
        "en": "I could not read that location.",
        "pt": "Não consegui ler essa localização.",
    },
    "ask_hazard": {
        "ja": "どの災害のときの避難場所を探しますか？",
        "en": "For which kind of disaster are you looking for a place to go?",
        "pt": "Para qual tipo de desastre você procura um local?",
    },
    "unknown_hazard": {
        "ja": "その災害の種類は分かりませんでした。",
        "en": "I did not recognise that kind of disaster.",
        "pt": "Não reconheci esse tipo de desastre.",
    },
    "data_unavailable": {
        "ja": "すみません、いま避難場所のデータを読み込めません。市役所（代表 {phone}）に確認してください。"
        "命が危ないときは 119 へ。",
        "en": "Sorry, the shelter data cannot be read right now. Please ask the city office ({phone}). "
        "If your life is in danger, call 119.",
        "pt": "Desculpe, os dados de abrigos não estão disponíveis agora. Consulte a prefeitura ({phone}). "
        "Em perigo de vida, ligue 119.",
    },
}


def t(key: str, language: str, **values: object) -> str:
    texts = _T[key]
    return texts.get(language, texts["en"]).format(phone=CITY_MAIN_PHONE, **values)


_PREFECTURE = re.compile(r"^(?:北海道|東京都|大阪府|京都府|.{2,3}?県)")


def area_name(municipalities: list[str] | str) -> str:
    """茨城県常総市 → 常総市 (what residents call it)."""
    names = [municipalities] if isinstance(municipalities, str) else municipalities
    short = [s for n in names if (s := _PREFECTURE.sub("", n))]
    return "、".join(short[:3]) + ("など" if len(short) > 3 else "") if short else "このチャットボットの範囲"


def distance_text(metres: float) -> str:
    if metres < 1000:
        return f"{max(10, round(metres, -1)):.0f}m"
    return f"{metres / 1000:.1f}km"


def status_text(status: Status, language: str) -> str:
    return status.label(language)


def _site_lines(number: int | None, suggestion: Suggestion, language: str, disaster_mode: bool) -> list[str]:
    place = suggestion.place
    bullet = f"{number}. " if number is not None else "・"
    # Outside disaster mode "not open" is the normal state and would only discourage: say nothing then.
    shown = disaster_mode or suggestion.status is not Status.CLOSED
    status = f"【{status_text(suggestion.status, language)}】" if shown else ""
    lines = [
        f"{bullet}{place.name}{status}",
        f"   {t('distance', language, distance=distance_text(suggestion.distance_m))} / {place.address}",
        f"   {t('map', language)}: {map_url(place.latitude, place.longitude)}",
    ]
    return lines


def shelter_notes(
    search: ShelterSearch,
    language: str,
    *,
    town: str | None,
    statuses_known: bool,
    disaster: DisasterState | None,
    need_care: bool,
) -> list[str]:
    """The remarks that go with a list, most important first (the demo banner is apart: it always leads)."""
    notes = []
    if disaster is not None:
        notes.append(t("alert_now", language, level=disaster.level, name=level(disaster.level).name[language]))
    if search.whereabouts is Whereabouts.NEAR_AREA:
        notes.append(t("outside_area", language, area=area_name(search.municipality)))
    if town:
        notes.append(t("from_town", language, town=town))
    if not statuses_known:
        notes.append(t("status_unknown", language))
    elif search.none_open and search.sites:
        notes.append(t("none_open", language))
    if not search.sites:
        notes.append(t("no_site", language, hazard=search.hazard.label(language)))
    if need_care and not search.welfare:
        notes.append(t("welfare_none", language))
    return notes


def shelter_list_text(
    search: ShelterSearch,
    language: str,
    notes: list[str],
) -> str:
    hazard = search.hazard.label(language)
    heading = t("heading_disaster" if search.disaster_mode else "heading", language, hazard=hazard)
    lines = [t("demo", language)] if search.demo else []
    lines.append(heading)
    for number, suggestion in enumerate(search.sites, start=1):
        lines.extend(_site_lines(number, suggestion, language, search.disaster_mode))
    lines.extend(notes)
    if search.welfare:
        lines.append(t("welfare_heading", language))
        for suggestion in search.welfare:
            lines.extend(_site_lines(None, suggestion, language, search.disaster_mode))
            if not suggestion.place.designated_for(search.hazard):
                lines.append("   " + t("welfare_not_for_hazard", language, hazard=hazard))
        lines.append(t("welfare_check", language))
    if search.sites:
        lines.append(t("straight_line", language))
    if search.hazard in (Hazard.FLOOD, Hazard.INLAND_FLOOD, Hazard.STORM_SURGE, Hazard.TSUNAMI):
        lines.append(t("stay_high", language))
    return "\n".join(lines)


# --- alert levels -------------------------------------------------------------------------------------------

_LEVEL_TEXTS: dict[str, dict[str, str]] = {
    "intro": {
        "ja": "避難の「警戒レベル」は5段階です。",
        "en": "There are 5 evacuation alert levels (警戒レベル, keikai reberu).",
        "pt": "Há 5 níveis de alerta de evacuação (警戒レベル, keikai reberu).",
    },
    "line": {
        "ja": "【レベル{n}】{name}：{action}",
        "en": "Level {n}: {name}: {action}",
        "pt": "Nível {n}: {name}: {action}",
    },
    "asked": {
        "ja": "レベル{n}は「{name}」です。{advice}",
        "en": "Level {n} is “{name}”. {advice}",
        "pt": "O nível {n} é “{name}”. {advice}",
    },
    "issuer": {
        "ja": "レベル3〜5は市が出し、レベル1・2は気象庁が出します。",
        "en": "Levels 3 to 5 are issued by the city; levels 1 and 2 by the Japan Meteorological Agency.",
        "pt": "Os níveis 3 a 5 são emitidos pela prefeitura; os níveis 1 e 2 pela Agência Meteorológica do Japão.",
    },
    "care": {
        "ja": "高齢の方や、障がいのある方、介助が必要な方とその家族は、「レベル3 高齢者等避難」が出たら、"
        "すぐに避難を始めてください。避難に時間がかかるからです。レベル4を待たないでください。"
        "一人で避難するのがむずかしいときは、早めに家族や近所の人に助けを頼んでください。",
        "en": "If you are elderly, have a disability or need care (or help someone who does), start evacuating "
        "as soon as level 3 (高齢者等避難) is issued: it takes you longer. Do not wait for level 4. "
        "If you cannot evacuate alone, ask family or neighbours for help early.",
        "pt": "Se você é idoso, tem deficiência ou precisa de cuidados (ou ajuda alguém assim), comece a evacuar "
        "assim que o nível 3 (高齢者等避難) for emitido: você precisa de mais tempo. Não espere o nível 4. "
        "Se não conseguir evacuar sozinho, peça ajuda à família ou aos vizinhos cedo.",
    },
    "care_button": {"ja": "高齢・介助が必要な方は", "en": "Elderly / need care", "pt": "Idosos / cuidados"},
    "emergency": {
        "ja": "命が危ないときは、すぐに 119（火事・救急）へ電話してください。",
        "en": "If your life is in danger, call 119 (fire and ambulance) now.",
        "pt": "Em perigo de vida, ligue já para 119 (bombeiros e ambulância).",
    },
}


def level_text(key: str, language: str, **values: object) -> str:
    texts = _LEVEL_TEXTS[key]
    return texts.get(language, texts["en"]).format(**values)


def alert_levels_text(language: str, *, need_care: bool, asked: int | None, disaster: DisasterState | None) -> str:
    lines = []
    if disaster is not None:
        lines.append(t("alert_now", language, level=disaster.level, name=level(disaster.level).name[language]))
    if asked is not None:
        info = level(asked)
        lines.append(
            level_text("asked", language, n=asked, name=info.text("name", language), advice=info.advice(language))
        )
    lines.append(level_text("intro", language))
    for number in sorted(LEVELS, reverse=True):
        info = LEVELS[number]
        lines.append(
            level_text(
                "line", language, n=number, name=info.text("name", language), action=info.text("action", language)
            )
        )
    lines.append(EVACUATE_BY_LEVEL_4.get(language, EVACUATE_BY_LEVEL_4["en"]))
    lines.append(level_text("issuer", language))
    if need_care:
        lines.append(level_text("care", language))
    if disaster is not None and disaster.level >= 4:
        lines.append(level_text("emergency", language))
    return "\n".join(lines)
