// Package web is Parley's web face: a chat widget for any web page, a
// kiosk screen, an agent console and an operator dashboard, as static
// files embedded in the binary and talking only to the HTTP APIs of
// package httpadapter (SiteGPT's threads API and Userbot's operations).
// There is no second server and no build step: the files are plain HTML,
// CSS and JavaScript, written by hand, served as they are in the
// repository.
//
// [New] wraps an API handler (an *httpadapter.Handler) in one that serves
// the files at fixed paths and passes every other request on:
//
//	GET /widget.js      the chat widget, for one script tag on any page
//	GET /widget.css     its styles, loaded by widget.js into its shadow root
//	GET /kiosk/         a full-screen, touch-first chat screen
//	GET /console/       the agent console
//	GET /dashboard/     the operator dashboard
//	GET /lib/           the module and styles the console and the dashboard share
//
// "parley serve" mounts it; a host program with a mux of its own mounts
// New(apiHandler) at "/".
//
// # The widget
//
// One tag puts a launcher and a chat window on a page:
//
//	<script src="https://parley.example.com/widget.js"
//	        data-chatbot="CHATBOT_ID" data-token="CLIENT_TOKEN" async></script>
//
// A message typed or tapped while the widget is still making its thread
// (the window just opened, or the kiosk started over, on a slow network)
// shows at once and is sent when the thread is there.
//
// The client token is the one that may only chat and start threads, safe
// in a page (see httpadapter, Authentication). A page on another origin
// needs "parley serve -cors ORIGIN". The kiosk is the same widget laid out
// full screen: /kiosk/#chatbot=CHATBOT_ID&token=CLIENT_TOKEN (the fragment
// never reaches a server, nor a Referer).
//
// When the server verifies email addresses (settings.emailVerification,
// engine.WithCodeSender) and the thread's user gives one (the system
// message PROVIDED_EMAIL), the widget offers a labelled field for the
// one-time code, focused, with a button to ask for a new code (POST
// .../threads/{threadId}/verification-code). The code goes into the thread
// as a message, not shown; EMAIL_VERIFIED closes the field and
// ENTERED_WRONG_OTP says beside it that the code is not right.
//
// # The agent console and the operator dashboard
//
// /console/ is for agents, who sign in with their agent token ("parley
// serve -agent NAME=TOKEN"); /dashboard/ is for operators, who sign in
// with the developer token. The token stays in the tab (sessionStorage)
// and goes only into Authorization headers, and into the socket's first
// frame for an import.
//
// The console lists the conversations of a bot, those in AGENT mode
// (waiting for a person, or with an agent) first, then those with unread
// messages; it takes one over, answers it (an answer in AI mode takes it
// over) and hands it back to the bot, over SiteGPT's threads API. The
// bot's event stream (GET /v0/chatbots/{chatbotId}/events) brings new
// messages and changes of mode; it is read with fetch, since EventSource
// cannot send a bearer token, and resumes after a break with
// Last-Event-ID. The user's details, tags and visits (the pages viewed,
// newest first) come from GET .../threads/{threadId}/user. New messages of the open conversation are
// announced in a live region; those the stream brings while a conversation
// is being opened show in it too.
//
// The dashboard calls Userbot's operations (POST
// /chatbots/{chatbotId}/userbot/{operation}): users searched and filtered
// by tag and segment, tagged, saved as segments; a CSV import over the
// socket (GET /ws), whose progress replies drive a progress bar; and the
// statistics of rawstats.all drawn as SVG bar charts, each with its
// numbers in a table for screen readers, with rawstats.top-fallbacks, the
// messages the bot most often did not understand. Its editors list,
// create, change and delete automated messages (automated-messages.get,
// .save, .delete) and Q&A (qeafilter.search, .save, .delete); a
// condition is checked as it is typed (conditions.check, a moment after
// the last key), its line, column and problem shown beside the field, and
// a save the server refuses shows its message beside the field it names.
//
// lib/ holds what the two share: a module (a DOM builder that sets text
// with textContent only, the token's session, calls, the event stream)
// and the styles.
//
// # Security
//
// Every file is served with a Content-Security-Policy that allows scripts,
// styles, images and connections from the serving origin only and no
// inline script or style, so a text that slipped past the escaping could
// not run; with X-Content-Type-Options: nosniff and no Referer. The
// scripts put every text from the API into the page with textContent,
// never as HTML. Nothing is requested from another host: no web fonts, no
// CDN, and a bot's images are shown only when they are on the Parley
// server (others become links).
//
// Files are served with a strong ETag (their SHA-256) and Cache-Control:
// no-cache, so browsers keep them and ask with If-None-Match, and a new
// binary's files are seen at once.
package web
