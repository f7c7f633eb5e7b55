// The kiosk screen: the chat widget laid out full screen, touch first.
// Its bot and client token come from the page's fragment,
// #chatbot=CHATBOT_ID&token=CLIENT_TOKEN, which no request carries.
(function () {
  'use strict';
  var p = new URLSearchParams(location.hash.slice(1));
  if (!p.get('chatbot') || !p.get('token')) {
    document.getElementById('kiosk-missing').hidden = false;
    return;
  }
  var s = document.createElement('script');
  s.src = '/widget.js';
  s.dataset.chatbot = p.get('chatbot');
  s.dataset.token = p.get('token');
  s.dataset.layout = 'kiosk';
  s.dataset.mount = 'kiosk';
  if (p.get('lang')) s.dataset.lang = p.get('lang');
  document.body.appendChild(s);
})();
