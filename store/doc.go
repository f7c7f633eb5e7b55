// Package store defines Parley's record types and the interfaces the engine
// needs to keep them. Backends live in sub-packages: store/badgerstore is the
// embedded default, store/pgstore keeps the records in PostgreSQL for several
// processes sharing one database. Every backend passes the conformance suite in
// store/storetest, so one can replace another.
//
// # Records
//
//   - [User]: a person chatting with the bot, with attributes, segments and a
//     24-hex [User.ID] that sorts in creation order.
//   - [Segment]: a named group of users, either explicit members or a
//     saved [SegmentFilter] whose members are computed when asked.
//   - [Tag]: a label on users, known by its name, with a stable [TagID].
//   - [Feedback]: a reaction to a message, or an NPS score with a comment.
//   - [Session]: the state of one conversation, keyed by the client's session
//     id: active contexts, pending slot filling, session attributes.
//   - [Thread] and [Message]: a conversation and its messages, in the
//     Threads API's terms (modes AI and AGENT, message types, reactions).
//   - [Counters] and [Day]: the per-day statistics.
//   - [AutomatedMessage] and [AutomatedDelivery]: messages the bot sends
//     first, and to whom they went.
//   - [Visit]: a page a user (or a session without one) viewed; the last
//     [MaxVisits] are kept per visitor.
//   - [Company]: a lead, known by its domain, with its people, tags and
//     activity.
//   - [Meeting]: a time slot with a status, asked for or booked.
//
// # Interfaces
//
// [Store] composes [Users], [Segments], [Tags], [Feedbacks], [Sessions],
// [Threads], [ThreadAdmin], [Outbox], [Stats], [AutomatedMessages],
// [Visits], [Companies], [Meetings], [QAs] and [EventLog].
// Each has only the methods the engine calls.
//
// The event log ([EventLog]) records every message appended and every
// thread created, changed or deleted, in the change's transaction, at a
// position in commit order: the live stream of a whole bot resumes from
// it after a restart or in another process.
//
// One chat turn is one transaction: [Sessions.Update] hands the engine a
// [Turn] holding the session, its user and its current thread; whatever the
// engine leaves there (session state, user attributes, appended messages,
// counters) is committed at once, or not at all. Update may run its
// function more than once, so the function must be free of side effects.
//
// # Validation
//
// The field limits of the chat APIs (ChatBot.com's, SiteGPT's, Userbot's)
// are checked here, once for every backend: see [CheckAttributes],
// [CheckSessionID], [UserQuery.Normalize] and the other Check functions.
// Bad input is a [*FieldError] that names the field and the rule and
// unwraps to [ErrInvalid]; nothing is written.
//
// # Caveats
//
//   - Records returned by a store are copies: changing them changes nothing
//     stored.
//   - attributes.default_email is unique across users (ignoring case), so
//     that [Users.UserByEmail] names one user.
//   - An empty attribute value is how an update removes an attribute; the
//     APIs never allow an empty value otherwise.
//   - Paging users by lastSeen can skip or repeat a user whose lastSeen moves
//     between pages; paging by createdAt cannot.
package store
