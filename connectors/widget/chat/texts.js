// Everything the resident reads in the widget's own frame: short, plain Japanese.
// (What the bot says comes from the server; these are only the widget's labels and notices.)

export const TEXTS = Object.freeze({
  defaultTitle: "常総市 チャットボット",
  subtitle: "市役所の手続きや避難のことに、自動でお答えします",
  launcher: "チャットで質問する",
  close: "閉じる",
  reset: "会話を消す",
  resetConfirm: "これまでの会話を消して、最初からやり直しますか？",
  resetDone: "会話を消しました。",
  logLabel: "会話",
  intro: "こんにちは。常総市のチャットボットです。知りたいことを、ふだんの言葉で書いてください。",
  introPrivacy: "名前・住所・電話番号などの個人情報は書かないでください。",
  introEmergency: "火事・救急は 119番、事件・事故は 110番 へ電話してください。",
  examplesLabel: "質問の例（押すと送ります）",
  examples: ["住民票の写しがほしい", "引っ越してきました", "近くの避難所はどこ？"],
  inputLabel: "メッセージ",
  inputPlaceholder: "質問を書いてください",
  placePlaceholder: "町名や目じるしを書く",
  send: "送信",
  you: "あなた",
  bot: "チャットボット",
  thinking: "回答を準備しています…",
  choicesLabel: "選べる答え",
  chosen: "（選びました）",
  notSent: "送れませんでした",
  newTab: "（新しい画面で開きます）",
  unreachable: "サーバーにつながりません。通信の状態を確かめて、「もう一度送る」を押してください。",
  offline: "インターネットにつながっていません。つながったら「もう一度送る」を押してください。",
  pendingFailed: "送れなかったメッセージがあります。「もう一度送る」を押してください。",
  unavailable: "ただいまお答えできません。少し待ってから「もう一度送る」を押してください。",
  retry: "もう一度送る",
  rejected: "送れませんでした。",
  // location_request
  useLocation: "いまいる場所を送る",
  locating: "場所を調べています…",
  typePlace: "地名を書いて送る",
  locationSent: "📍 いまいる場所を送りました",
  locationDenied:
    "位置情報の利用が許可されていません。ブラウザの設定で許可するか、町名や目じるしを書いて送ってください。",
  locationUnavailable: "この画面では位置情報が使えません。町名や目じるしを書いて送ってください。",
  locationFailed: "いまいる場所がわかりませんでした。町名や目じるしを書いて送ってください。",
  // faq_answer
  department: "担当",
  phone: "電話",
  hours: "受付",
  moreInfo: "くわしくは市のページへ",
  updated: "更新",
  translated: "日本語の案内を翻訳したものです。",
  // shelter_list
  sheltersTitle: "近くの避難場所",
  sheltersDemo: "これは見本のデータです。実際の避難場所ではありません。",
  distance: "距離",
  address: "住所",
  status: "状況",
  welfare: "福祉避難所",
  map: "地図で見る",
  noSites: "近くに避難場所が見つかりませんでした。",
  // alert
  alertLevel: "警戒レベル",
  issuedAt: "発表",
});

// Official names of the evacuation alert levels (since 20 May 2021).
export const ALERT_LEVEL_NAMES = Object.freeze({
  5: "緊急安全確保",
  4: "避難指示",
  3: "高齢者等避難",
  2: "注意報",
  1: "早期注意情報",
});

// Codes a payload may carry for a hazard or a site's status; anything else is shown as it is.
export const HAZARD_NAMES = Object.freeze({
  flood: "洪水",
  landslide: "土砂災害",
  storm_surge: "高潮",
  earthquake: "地震",
  tsunami: "津波",
  fire: "大規模な火事",
  inland_flood: "内水氾濫",
  volcano: "火山",
});

export const STATUS_NAMES = Object.freeze({
  open: "開設中",
  closed: "開設していません",
  full: "満員",
  unknown: "確認中",
});
