"""Remove personal data from a question before it is stored for staff (a miss: a question the bot could not
answer). Residents sometimes write their phone number, address or name into a chat; staff only need to know
what was asked.

What is replaced, in this order (each by a placeholder staff can read):
e-mail addresses, phone numbers, postal codes, 12-digit My Number (個人番号), other runs of 6+ digits
(card, account, insurance numbers), addresses with a lot or house number (〇〇町123番地, 1丁目2番3号,
〇〇町1234-5), dates of birth, and names introduced as such (私は〇〇です, 名前は〇〇, 〇〇と申します,
my name is ..., me llamo ..., meu nome é ..., tên tôi là ..., ako si ...).
Rules over-redact rather than under-redact: a question that loses a word is still useful, a stored phone
number is not.
"""

from __future__ import annotations

import re
import unicodedata

EMAIL = "［メール］"
PHONE = "［電話番号］"
POSTAL = "［郵便番号］"
MY_NUMBER = "［個人番号］"
NUMBER = "［番号］"
ADDRESS = "［住所］"
BIRTHDAY = "［生年月日］"
NAME = "［名前］"

_DASH = r"[-‐‑–—―−ー]"
_SEP = rf"(?:\s*{_DASH}\s*|\s+)?"

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
# A run that may be a phone number: starts with 0 or +81, digits with dashes, spaces or brackets between.
# It is one when it holds as many digits as a Japanese number (0 + 9 or 10 digits; +81 + 9 or 10).
_PHONE_LIKE = re.compile(r"(?<![\d+])(?:\+\s*81|0)(?:[\s()（）\-‐‑–—―−ー]{0,2}\d){8,11}(?!\d)")
_POSTAL = re.compile(rf"(?:〒\s*\d{{3}}{_SEP}\d{{4}}|(?<![\d-])\d{{3}}{_DASH}\d{{4}}(?![\d-]))")
_MY_NUMBER = re.compile(r"(?<!\d)\d{4}[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
_LONG_DIGITS = re.compile(r"(?<!\d)\d(?:[\s-]?\d){5,}(?!\d)")
_KANJI_DIGITS = "〇一二三四五六七八九十百千"
_PLACE = r"[\u4e00-\u9fff\u30a1-\u30fa々ヶケ]"
# 〇〇町123番地4, 〇〇町1丁目2番3号, 一丁目, 〇〇町1234-5 (a place name followed by lot numbers).
_ADDRESS = re.compile(
    rf"{_PLACE}{{0,12}}(?:[\d{_KANJI_DIGITS}]+\s*(?:丁目|番地|番|号)\s*)+(?:\d+(?:{_DASH}\d+)*(?:号)?)?"
    rf"|{_PLACE}{{1,12}}\d+(?:{_DASH}\d+){{1,3}}"
)
_BIRTHDAY = re.compile(
    r"(?P<lead>(?:生年月日|誕生日|生まれ)\s*(?:は|が|:|：)?\s*)"
    r"(?:(?:明治|大正|昭和|平成|令和)?\s*[\d元]+\s*年\s*\d+\s*月\s*\d+\s*日|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})"
)
_NAME_CHARS = (
    r"[\u4e00-\u9fff\u3041-\u3096\u30a1-\u30faー々A-Za-z][\u4e00-\u9fff\u3041-\u3096\u30a1-\u30faー々A-Za-z .・]{0,20}?"
)
_NAME_JA = re.compile(
    rf"(?P<lead>(?:私|わたし|わたくし|僕|ぼく|俺|おれ)の(?:名前|なまえ|氏名)は|(?:名前|なまえ|氏名)(?:は|が|:|：)\s*)"
    rf"(?P<name>{_NAME_CHARS})(?=です|でございます|と申します|といいます|と言います|[、。,.!！?？\s]|$)"
    rf"|(?P<lead2>(?:私|わたし|わたくし|僕|ぼく|俺|おれ)(?:は|が))\s*"
    rf"(?P<name2>[\u4e00-\u9fff\u30a1-\u30faー々A-Za-z][\u4e00-\u9fff\u30a1-\u30faー々A-Za-z ・]{{0,15}}?)"
    rf"(?=です|でございます|と申します|といいます|と言います)"
    rf"|(?P<name3>[\u4e00-\u9fff\u3041-\u3096\u30a1-\u30faー々A-Za-z]{{1,15}})(?=と申します|といいます|と言います)"
)
# Words that end a name written after "my name is" (so "Maria Santos and I need..." keeps "and I need").
_NOT_NAME = (
    r"(?!(?:and|but|i|im|i'm|from|please|need|want|e|y|mas|pero|preciso|quero|necesito|quiero|tengo|at|ng|po)\b)"
)
_NAME_OTHER = re.compile(
    r"(?P<lead>\b(?:my name is|i am called|me llamo|mi nombre es|meu nome é|meu nome e|me chamo|chamo-me"
    r"|tên tôi là|tôi tên là|tôi là|ako si|ang pangalan ko ay|pangalan ko ay|我叫|我的名字是|제 이름은|저는)\s*)"
    rf"(?P<name>[^\W\d_][\w'-]*(?:\s+{_NOT_NAME}[^\W\d_][\w'-]*){{0,2}})",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """The question with personal data replaced by placeholders (also NFKC-normalised: ０９０ -> 090)."""
    text = unicodedata.normalize("NFKC", text)
    text = _EMAIL.sub(EMAIL, text)
    text = _BIRTHDAY.sub(lambda m: m.group("lead") + BIRTHDAY, text)
    text = _PHONE_LIKE.sub(_phone, text)
    text = _POSTAL.sub(POSTAL, text)
    text = _MY_NUMBER.sub(MY_NUMBER, text)
    text = _ADDRESS.sub(ADDRESS, text)
    text = _LONG_DIGITS.sub(NUMBER, text)
    text = _NAME_JA.sub(_name_ja, text)
    text = _NAME_OTHER.sub(lambda m: m.group("lead") + NAME, text)
    return text


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    national = digits[2:] if match.group(0).lstrip().startswith("+") else digits[1:]
    return PHONE if 9 <= len(national) <= 10 else match.group(0)


def _name_ja(match: re.Match[str]) -> str:
    if match.group("name") is not None:
        return match.group("lead") + NAME
    if match.group("name2") is not None:
        return match.group("lead2") + NAME
    return NAME
