// Package httpadapter serves an engine over HTTP with the REST API of the
// hosted chatbot platforms Parley follows (ChatBot.com's chat and user API).
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
//
// Path ids are the store's 24-hex user ids. Answers carry the chat API's
// status {"code": 200, "type": "success"}.
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
// naming it; an id naming nothing is a 404, naming the field when the
// route knows which it was. 401 means no valid token, 403 a token of the
// wrong scope, 413 a body over the limit, 429 the rate limit (with
// Retry-After), 503 a store that is busy or closing. Internal errors are a
// 500 with no detail; their text goes only to the log.
//
// # Authentication
//
// Requests carry "Authorization: Bearer TOKEN". A Handler knows up to two
// tokens, as ChatBot.com does: a client token ([WithClientToken]), safe to
// put in a web page because it may only chat (POST /query), and a developer
// token ([WithDeveloperToken]) allowed everywhere. Tokens are compared in
// constant time. [WithRateLimit] limits each token; [WithCORS] lets a chat
// widget on another origin call the API; [WithLogger] logs every request.
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
//     the seed's examples print with a space instead of the "T".
//   - The user object lists every default_* attribute of the seed, null
//     when unset; other attributes appear only when set.
//   - A 409 for a duplicate user does not say whether the userId or the
//     attributes.default_email was taken; a 404 from adding segment
//     members does not say which id was unknown.
//   - There is no route to remove segment members, ban users, or read
//     threads yet; Go callers have the engine's methods.
//   - The rate limit is per token, not per end user: every page holding the
//     client token shares one budget. Put a per-address limit in front of
//     the Handler if that matters.
//   - count in a list is the number of items in this page, as in the seed;
//     a page shorter than limit is the last one.
package httpadapter
