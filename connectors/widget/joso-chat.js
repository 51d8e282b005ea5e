/*
 * 常総市 チャットボット: the one script the city's pages include.
 *
 *   <script src="https://<gateway>/widget/joso-chat.js" defer></script>
 *
 * Optional attributes on that tag:
 *   data-api-base="https://<gateway>"  where /api/chat lives (default: where this script came from)
 *   data-title="..."                   the panel's title (default: 常総市 チャットボット)
 *   data-open="true"                   open the panel when the page loads
 *
 * Everything else (chat/*.js, chat/widget.css) is loaded from next to this file: nothing comes from
 * anywhere else. The page gets window.JosoChat = {open(), close()}, e.g. for a "チャットで聞く" link.
 */
(function loadJosoChat() {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="joso-chat.js"]');
  if (!script || !script.src) return;
  var scriptUrl = new URL(script.src, document.baseURI);
  var assetBase = new URL(".", scriptUrl).href;
  var apiBase = scriptUrl.origin;
  var configured = script.getAttribute("data-api-base");
  if (configured) {
    try {
      var url = new URL(configured, document.baseURI);
      if (url.protocol === "https:" || url.protocol === "http:") apiBase = url.href.replace(/\/+$/, "");
    } catch (error) {
      console.warn("joso-chat: data-api-base is not a URL; using", apiBase);
    }
  }
  var options = {
    apiBase: apiBase,
    assetBase: assetBase,
    title: script.getAttribute("data-title") || "",
    open: script.getAttribute("data-open") === "true",
    testHook: script.hasAttribute("data-test-hook"),
  };
  function start() {
    import(new URL("chat/app.js", assetBase).href)
      .then(function (module) {
        module.mount(options);
      })
      .catch(function (error) {
        console.error("joso-chat: the chat could not start", error);
      });
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
})();
