// Package httpadapter serves engines over HTTP with the REST APIs of the
// hosted chatbot platforms Parley follows: ChatBot.com's chat and user API,
// and SiteGPT's threads and messages API.
// It translates JSON and errors and holds no rule of its own: every check of
// a request is the engine's, so a Go caller and an HTTP client meet the same
// limits and get the same field names in errors.
//
// [New] returns a [Handler], an http.Handler to mount in a host's mux or to
// give to an http.Server (the command "parley serve" does the latter and
// sets the server's timeouts). The routes, described with every shape in
// openapi.yaml next to this file:
//
//	POST   /query                   chat with the bot (engine.Request → engine.Response)
//	POST   /users                   create a user → [{"id", "timestamp", "status"}]
//	GET    /users                   list users → {"data": [User...], "count": n}
//	GET    /users/{id}              one user's details (UserDetails)
//	PUT    /users/{id}              update a user's attributes → {"timestamp", "status"}
//	DELETE /users/{id}              delete a user and everything about them
//	PUT    /users/{id}/session      update the attributes of one of the user's sessions
//	GET    /users/segments          list segments → {"data": [Segment...], "count": n}
//	POST   /users/segments          create a segment {"name"} → [{"id", "timestamp", "status"}]
//	POST   /users/segments/members  add users to segments {"segments": [...], "users": [...]}
//	POST   /users/import            import users from a CSV body, streamed (Userbot's chatusers.import; up to 256 MiB)
//	POST   /userbot/{operation}     one of Userbot's operations, its JSON payload as the body
//	POST   /page-views              a page a user views {sessionId, userId, ip, url, title, referrer, left} (visits.go)
//
// GET /ws is Userbot's WebSocket API for operators (users, tags,
// segments, variables, imports, feedback, statistics, conversations,
// automated messages, Q&A, visits, leads and meetings): its framing and
// every operation are described in userbot.go, userbot_chat.go,
// userbot_automated.go and userbot_qa.go, and CSV imports of any size,
// sent in chunks that stream into one import, in userbot_upload.go;
// each operation is also POST /userbot/{operation}
// (userbot_rest.go). The socket authenticates in its first frame (apiLogin
// KEY, with a key of WithOperator or the developer token), not with a
// header.
//
// Path ids are the store's 24-hex user ids. Answers carry the chat API's
// status {"code": 200, "type": "success"}.
//
// For operators, without a token and outside the rate limits:
//
//	GET /healthz        200 {"status": "ok"} while the process serves HTTP
//	GET /readyz         200 {"status": "ready"} when the store answers and a bot is loaded, else 503 ([WithReadiness])
//	GET /metrics        the handler of [WithMetrics], such as package metrics' Prometheus handler ([WithMetricsToken] requires a token)
//	GET /openapi.yaml   the API's description
//	GET /docs           the same as a web page
//
// [WithObserver] reports every request's route, status and duration.
//
// # Several bots
//
// [NewBots] serves several bots, each with its own engine and store; [New]
// serves one, named "default". A bot's chatbotId ([ChatbotID]) is 18
// digits derived from its name, the same at every start. The chat API's
// routes answer for the first bot at the root and for each bot under
// /chatbots/{chatbotId} (POST /chatbots/{chatbotId}/query, ...).
//
// # SiteGPT's threads API
//
//	GET    /v0/chatbots                                    the bots (agent, developer)
//	GET    /v0/chatbots/{chatbotId}                        one bot (client and wider: a chat page reads its settings)
//	POST   /v0/chatbots/{chatbotId}/threads                Create Thread (client and wider), with a threadToken
//	GET    /v0/chatbots/{chatbotId}/threads                Fetch All Threads: page, limit, mode, escalated, read, chatUserId, from, to
//	GET    /v0/chatbots/{chatbotId}/threads/{threadId}     Fetch Thread (its thread token and wider)
//	PATCH  /v0/chatbots/{chatbotId}/threads/{threadId}     Update Thread: mode, webhookUrl, webhookToken, chatUser, totalMessagesRead
//	DELETE /v0/chatbots/{chatbotId}/threads/{threadId}     delete it and its messages (developer)
//	POST   /v0/chatbots/{chatbotId}/threads/{threadId}/escalate      Escalate Conversation {escalationPrompt}
//	POST   /v0/chatbots/{chatbotId}/threads/{threadId}/take-over     an agent takes it {message}
//	POST   /v0/chatbots/{chatbotId}/threads/{threadId}/switch-to-ai  back to the bot {message}
//	POST   /v0/chatbots/{chatbotId}/threads/{threadId}/read          every message read
//	POST   /v0/chatbots/{chatbotId}/threads/{threadId}/verification-code   a new one-time code to the user's email
//	POST   /v0/chatbots/{chatbotId}/threads/{threadId}/persona       the thread's persona {personaId}
//	POST   /v0/chatbots/{chatbotId}/threads/{threadId}/page-views    a page the thread's user views {url, title, referrer, left}: automated messages
//	GET    /v0/chatbots/{chatbotId}/settings/personas[/{personaId}]  the bot's personas (client and wider)
//	PATCH  /v0/chatbots/{chatbotId}/appearance             Update Chatbot Appearance {title, welcomeMessage, placeholderText, brandColor, brandTextColor, rtl, locale, localization} (developer)
//	POST   /v0/chatbots/{chatbotId}/settings/personas/{personaId}/assign   the persona of threads without one (developer)
//	GET    /v0/chatbots/{chatbotId}/threads/{threadId}/user          the thread's user, tags, segment names and visits (agent, developer)
//	GET    /v0/chatbots/{chatbotId}/threads/{threadId}/events        the thread's live events (SSE; ids: message numbers)
//	GET    /v0/chatbots/{chatbotId}/events                 every thread's live events, for agents (SSE; ids: positions in the store's event log)
//	POST   /v0/chatbots/{chatbotId}/message                Send Message {message, threadId, from, agentName, iconUrl, goto}
//	PATCH  /v0/chatbots/{chatbotId}/messages/{messageId}   Update Message {threadId, reaction}
//	GET    /v0/chatbots/{chatbotId}/quick-prompts[/{promptId}]        quick prompts (client and wider); also under /conversation-starters
//	POST   /v0/chatbots/{chatbotId}/conversation-starters             add one {title, description, link} (developer); also under /quick-prompts
//	PATCH, DELETE /v0/chatbots/{chatbotId}/conversation-starters/{promptId}   change or remove one (developer)
//	GET, POST /v0/chatbots/{chatbotId}/follow-up-prompts, GET, PATCH, DELETE .../{promptId}   follow-up prompts {title, description, link, isEscalationPrompt}
//
// Prompts come from the bot file's settings (quick_prompts,
// follow_up_prompts); the API edits them in the engine's memory until the
// bot is reloaded or the process restarts (see engine.Prompt). The chatbot
// object lists them as suggestions and nextSuggestions; a bot's answer
// carries the follow-up prompts; a user message that is an escalation
// prompt escalates the thread.
//
// Answers are SiteGPT's {"success": true, "message": <the endpoint's
// sentence>, "data": ...}; errors {"success": false, "message", "data":
// null, "error": {"code", "message", "details"}} ([V0ErrorBody]) with
// SiteGPT's codes (API_KEY_NOT_VALID, REQUEST_VALIDATION_FAILED with one
// detail naming the field, CHATBOT_NOT_FOUND) and Parley's where SiteGPT
// has none (THREAD_NOT_FOUND, MESSAGE_NOT_FOUND, THREAD_ID_TAKEN,
// FORBIDDEN, RATE_LIMIT_EXCEEDED, ...).
//
// A threadId is the id the thread's creator chose, else its store id. A
// user's question and the bot's answer are one message (NORMAL_MESSAGE,
// both halves) whose messageId is "<thread store id>-<seq>" of the answer;
// seq (Parley's) is a message's place in its thread. page-views
// (Parley's) is how a chat page reports the pages its visitor views, for
// the automated messages that wait for them. A bot's message
// that is more than text carries the chat API's fulfillment (Parley's),
// and Send Message's goto (Parley's) follows a goto button, its title
// being the user's message. A question the user did not type says so
// (Parley's): question.goto is the interaction id of the goto button
// pressed (in Send Message or the chat API's /query), question.trigger
// the event name of a trigger, client's or host's; Userbot's chat
// messages carry the same goto and trigger, and so do the webhooks'
// message payloads. DELETE of a thread, take-over, switch-to-ai,
// read, verification-code, a thread's persona and totalMessagesRead are
// Parley's: SiteGPT's v0 API has no such routes.
//
// Personas come from the bot file (settings personas, with the variants
// of their style in its text responses), so adding or changing one over
// the API is not offered; SiteGPT's Assign lives in the engine's memory,
// as prompt edits do. A persona's id is its name in the bot file, and
// instructions its note for the people writing its variants.
//
// Email verification (engine.WithCodeSender; parley serve -verify-codes):
// the user enters the one-time code as a message in the thread; the
// thread records EMAIL_VERIFIED or ENTERED_WRONG_OTP, and chatUser.verified
// says whether the user's current email was verified. A wrong
// verification-code call answers 400 (the thread's user has no email),
// 409 CONFLICT (no code sender) or 502 PROBLEMS_WITH_UPSTREAM_PROVIDER
// (the sender failed).
//
// Tokens: the client token may chat and start threads; starting one (or
// sending a message without threadId) returns a threadToken, a bearer
// token that reads and writes that thread only, of that bot, and stays
// valid across restarts with the same client and developer tokens (a
// change of either revokes every thread token). Agent tokens
// ([WithAgentToken]) reach every thread and mark the agent's messages with
// the agent's id and name. The developer token may do everything.
//
// # Errors
//
// Every error is answered with its HTTP status and one body, [ErrorBody]:
//
//	{"timestamp": "2019-03-12T13:27:15.513Z",
//	 "status": {"code": 400, "type": "error", "message": "must be 10 to 64 characters"},
//	 "field": "sessionId"}
//
// A request breaking a limit of the API is a 400 naming the field and the
// rule (the engine's *store.FieldError); an unknown JSON field is a 400
// naming it; an explicit confidence or lifespan of 0 is a 400 (absent or
// null means the bot's setting); an id naming nothing is a 404, naming the
// field when the route knows which it was. 401 means no valid token (with
// WWW-Authenticate), 403 a token of the wrong scope, 408 a body that did
// not arrive within the body timeout (a body shorter than its
// Content-Length that the client stopped sending is a 400), 413 a body
// over the limit, 429 a rate limit (with Retry-After), 503 a store that is
// busy or closing, 507 a change refused because the store's disk is nearly
// full (store.ErrFull; reads go on, and changes once space is freed). A path that is not canonical ("//users",
// "/users/../users") is a 404 naming "path", not a redirect, and a query
// string that does not decode ("%zz") a 400 naming "query". Internal
// errors are a 500 with no detail; their text goes only to the log.
//
// # Authentication
//
// Requests carry "Authorization: Bearer TOKEN" (one or more spaces after
// the scheme, in any case). A Handler knows two tokens, as ChatBot.com
// does: a client token ([WithClientToken]), safe to put in a web page
// because it may only chat (POST /query) and start threads, and a
// developer token ([WithDeveloperToken]) allowed everywhere; and agent and
// thread tokens (see SiteGPT's threads API above). Tokens are compared in
// constant time. Failed authentications are limited per client address
// ([WithAuthFailureLimit], on by default): past the budget, the address
// gets 429 whatever token it sends. [WithCORS] lets a chat widget on
// another origin call the API; [WithLogger] logs every request.
//
// # Rate limits
//
// The client token is shared by every visitor of a web page, so a limit
// per token would let one visitor, or a crowd, lock out everyone. Requests
// of the client token are limited per end user instead
// ([WithEndUserRateLimit]: the chat request's userId, else its sessionId)
// and per client address ([WithAddressRateLimit]; behind a reverse proxy,
// [WithTrustedProxies]). Requests of the developer token, which only a
// server holds, are not. [WithRateLimit] adds a cap per token for those
// who want one. A Handler has no limit but the one on failed
// authentications unless asked; "parley serve" sets 5 chat requests a
// second per end user (bursts of 30) and 100 a second per address (bursts
// of 500).
//
// # Listing users
//
// GET /users takes the parameters of List users in its query string:
// limit (1–40, default 40), after (the id of the last user of the previous
// page), sort.field (createdAt or lastSeen), sort.order (asc or desc),
// match (all or any) and up to five filters, each one "filters" parameter
// of the form field:op or field:op:value, split at the first two colons:
//
//	GET /users?sort.field=lastSeen&match=any
//	    &filters=attributes.default_city:equals:Paris
//	    &filters=createdAt:after:2026-01-01T00:00:00Z
//	    &filters=segment:equals:5c46d514bda7873576a30c48
//	    &filters=attributes.vip:exists
//	    &filters=banned:equals:false
//
// Fields are attributes.<key> (ops equals, notEquals, contains, exists),
// createdAt and lastSeen (before, after; the value an RFC 3339 time),
// segment (equals, notEquals; a segment id) and banned (equals; true or
// false); see store.Filter. Remember to percent-encode values: a "+" in a
// time zone offset must be sent as %2B, and "&" or "#" in a value likewise.
// An unknown parameter, or one other than filters given twice, is a 400.
//
// # Caveats
//
//   - JSON field names match exactly as far as encoding/json allows: it
//     matches names ignoring case ("SessionID" is read as "sessionId") and
//     takes the last of duplicate names. Unknown names are refused.
//   - A JSON null is the same as an absent field; in the attributes of
//     Update user and Update session attributes, null (like "") removes the
//     attribute.
//   - All timestamps are in the chat response's format
//     ("2019-03-12T13:27:15.513Z"), including createdAt and lastSeen, which
//     ChatBot.com's documented examples print with a space instead of the "T".
//   - The user object lists every default_* attribute of ChatBot.com's users API, null
//     when unset; other attributes appear only when set.
//   - A 409 for a duplicate user does not say whether the userId or the
//     attributes.default_email was taken; a 404 from adding segment
//     members does not say which id was unknown.
//   - There is no route to remove segment members or ban users yet; Go
//     callers have the engine's methods.
//   - An end user is who the request says it is: a client can spread
//     its requests over made-up session ids. The limit per address is
//     what bounds a single client; each limit keeps at most 65,536 keys
//     and forgets idle ones first.
//   - count in a list is the number of items in this page, as in ChatBot.com's API;
//     a page shorter than limit is the last one.
package httpadapter
