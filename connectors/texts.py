"""Gateway messages residents may read (Japanese first)."""

from knowledge_base.catalog import CITY_MAIN_PHONE

ENGINE_UNAVAILABLE = (
    "申し訳ありません。ただいまチャットボットがお答えできません。"
    f"少し時間をおいてもう一度お試しいただくか、常総市役所（代表 {CITY_MAIN_PHONE}）へお電話ください。"
    "火事・救急は119番、事件・事故は110番へ。"
)
