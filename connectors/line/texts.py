"""What residents read on LINE (plain, short, kind Japanese). Conversation texts come from Rasa."""

from __future__ import annotations

WELCOME = (
    "友だち追加ありがとうございます。常総市のチャットボットです。\n"
    "市役所の手続きや、避難のことを、ふだんの言葉で聞いてください。\n"
    "災害のときは、このLINEでお知らせを送ることがあります。\n\n"
    "火事・救急は119番、事件・事故は110番へ電話してください。\n"
    "お名前や住所などの個人情報は送らないでください。"
)

UNSUPPORTED_STICKER = (
    "スタンプありがとうございます。\n"
    "ごめんなさい、スタンプの意味はまだ分かりません。知りたいことを文字で送ってください。"
)

UNSUPPORTED_MEDIA = (
    "ごめんなさい、写真・動画・音声・ファイルはまだ読めません。知りたいことを文字で送ってください。\n"
    "近くの避難所を探すときは、下の「📍 近くの避難所」を押してください。"
)

# Quick reply labels: LINE shows at most 20 characters.
SEND_LOCATION = "📍 現在地を送る"
MENU_NEAREST_SHELTER = "📍 近くの避難所"
MENU_ALERT_LEVEL = "⚠️ 警戒レベルとは"
MENU_ALERT_LEVEL_SAID = "警戒レベルについて教えて"

# The choices a long list of buttons is shown under when they do not all fit in the quick reply.
MORE_CHOICES = "えらんでください"

# Shelter cards.
SHELTER_LIST_TITLE = "近くの避難場所"
SHELTER_MAP = "地図を見る"
SHELTER_WELFARE = "福祉避難所（配慮が必要な方）"
SHELTER_DEMO = "※デモ用のデータです。実際の避難先ではありません。"
SHELTER_STATUS = {
    "open": "開設中",
    "opened": "開設中",
    "closed": "閉鎖中",
    "not_open": "未開設",
    "full": "満員",
}
SHELTER_MORE = "ほかの避難場所"


def distance_label(metres: float) -> str:
    if metres < 1000:
        return f"ここから約{max(10, round(metres / 10) * 10)}m"
    return f"ここから約{metres / 1000:.1f}km"
