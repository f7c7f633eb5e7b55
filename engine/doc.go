// Package engine is the conversation runtime: it joins a bot (package story),
// the matcher (package nlu) and a store (package store), and answers one chat
// turn per call, to the contract of ChatBot.com's "Chat with bot" API.
//
// # Main types
//
//   - [Engine]: built once by [New] from a store and a bot, then safe for
//     concurrent use. [Engine.Chat] runs one turn; [Engine.Reload] swaps
//     the bot atomically; [Engine.Subscribe] delivers [Event] values after
//     each committed turn. The user, session and segment operations of the
//     API ([Engine.CreateUser], [Engine.ListUsers], [Engine.User],
//     [Engine.UpdateUser], [Engine.UpdateSessionAttributes],
//     [Engine.CreateSegment], [Engine.AddToSegments], [Engine.DeleteUser],
//     ...) check every field limit of the API before reaching the store.
//   - Operating a bot, as Userbot's dashboard does: users many at a time
//     ([Engine.FindUsers] with offsets and up to 20 filters,
//     [Engine.CreateUsers], [Engine.DeleteUsers], [Engine.CountUsers],
//     [Engine.Insights], which counts each user once over a range); tags
//     ([Engine.Tags], [Engine.AddTags], [Engine.RemoveTags]); segments
//     defined by a saved filter, whose members are computed when asked
//     ([Engine.CreateFilterSegment], [Engine.EditSegment],
//     [Engine.DeleteSegments], [Engine.SegmentQuery];
//     [Engine.ListSegments] counts them); a user's attributes as variables
//     with stable ids ([Variable], [Engine.SetVariable],
//     [Engine.BotVariables]); feedback and NPS ([Engine.AddFeedback],
//     [Engine.ListFeedback], [Engine.CountNPS]); per-day [Engine.Stats];
//     goals a bot's goal actions count ([Engine.CountGoals]); users
//     imported from CSV in batches ([Engine.ImportUsers]).
//   - [Request] and [Response]: plain structs whose JSON tags are the API's
//     field names, so an HTTP adapter only decodes and encodes them.
//   - Threads and messages, in SiteGPT's terms: [Engine.CreateThread],
//     [Engine.Thread], [Engine.ListThreads], [Engine.UpdateThread],
//     [Engine.MarkRead], [Engine.DeleteThread], [Engine.Send] (a user's
//     message is a chat turn in the thread; an agent's is stored, and the
//     bot stays silent), [Engine.React], and the hand-off between bot and
//     agents: [Engine.Escalate], [Engine.TakeOver], [Engine.HandBack],
//     [Engine.AgentPresent]; personas ([Engine.Personas],
//     [Engine.SelectPersona], [Engine.AssignPersona]) and email
//     verification ([Engine.SendCode]).
//   - Live delivery: [Engine.Follow] opens a [Feed] of one thread's events
//     or of the whole bot's, for a server-sent event stream or a socket.
//   - Webhooks: [WithWebhooks] (the bot's) and a thread's webhookUrl;
//     [Engine.RunWebhooks] posts them from the store's outbox.
//   - [Option]: [WithLogger], [WithClock], [WithSeed], [WithWebhook] and
//     [WithWebhookURLs] (fulfilment), [WithHandoff] and [WithCodeSender]
//     (email verification).
//
// Bad input is a *store.FieldError naming the field and the rule, which
// unwraps to store.ErrInvalid; the same type comes back from every
// operation, so one mapping to an HTTP 400 serves them all.
//
// # A turn
//
// New trains one nlu.Matcher per story (labels are interaction ids;
// keyword phrases are keyword examples; the phrases of fallbacks are
// out-of-scope examples), precomputes the eligible set of interactions
// under each context, and builds the entity extractors. Given a compiled
// model ([BuildModel], [WithModel]; parley build writes one), it loads
// the matchers instead of training them, when the model was built from
// the same bot files (story.Bot.Digest) by the same version of the
// training: a device then starts without training, and a stale model only
// costs the training it would have saved. Chat then only executes, in
// this order:
//
//  1. Validate the request ([Request.Validate]); a goto or storyId must
//     name something in the bot.
//  2. Wait for the session's earlier turns: turns of one session run one
//     at a time, in the order the calls arrived (a FIFO per session, kept
//     only while the session is busy); different sessions run in
//     parallel.
//  3. In one store transaction (store.Sessions.Update): load the session
//     (an expired one, idle longer than the bot's session timeout, comes
//     back new: the conversation starts again from the root, in a new
//     thread); tie it to the request's user; apply reset; record the
//     user's message; pick the interaction; run it; update the context;
//     record the bot's answer; commit session, user, thread, messages and
//     counters together.
//  4. Deliver the events (turn; fallback; hand-off) to subscribers.
//
// The interaction is picked in this order: goto (score 1); trigger
// ("welcome" starts the story's welcome; another name, the interaction
// that lists it, in the session's story or else the first story that has
// it; score 1); the pending question, if the message fills it; the best
// NLU match among the eligible interactions that reaches the confidence
// threshold and whose condition holds (a keyword hit or an exact phrase
// scores 1); else the contextual fallback of the active context; else the
// story's fallback. Conditions only filter NLU matches: a goto or a
// trigger names its interaction explicitly.
//
// Eligible are the root interactions, the children of the active context
// (the last matched interaction), and the interactions marked anywhere,
// minus those backtracking blocks. A match makes the interaction the
// active context with a fresh lifespan (the request's, else the bot's); a
// fallback uses up one unit of it, and at zero the context returns to the
// root.
//
// Parameters are extracted from the message with the interaction's
// entities; the request's parameters preset them. A missing required
// parameter is asked for with one of its prompts and the result is
// incomplete. The next message first tries to fill it (and any other
// missing parameter); if it does not, a match of another eligible
// interaction at or above the threshold leaves the question, and
// otherwise the prompt is repeated up to the parameter's retries, after
// which the give-up message is said (or, without one, the fallback
// answers) and the question is dropped.
//
// Responses run in order; a response's filter must hold for it to run.
// Text variants are picked by a random stream seeded from [WithSeed], the
// session id and the session's position in its thread, so a conversation
// replays identically with the same seed. Templates see the interaction's
// parameters, then the active context's (a follow-up sees its parent's),
// then session attributes, then user attributes. Delays add up into the
// next message's delay.
//
// Actions:
//
//   - set: user attributes go to the session's user (or, when the session
//     has none, to the session); session attributes to the session. A
//     value rendered empty removes the attribute. A value longer than the
//     store allows (1,024 characters, 256 for default_name) is the bot's
//     error: the turn fails with [ErrValueTooLong], naming the response's
//     file and line, is logged, and stores nothing; values are never cut.
//     An attribute that would make more than 99 is not set, and neither
//     is the removal of a user's last attribute (a user keeps 1 to 99);
//     a warning says so in the log ([WithLogger]).
//   - goto: the rest of the interaction's responses is skipped and the
//     target runs, becoming the answering interaction and the context. A
//     goto inside the target is not followed (not chained further, as on
//     ChatBot.com); a debug result lists it as not followed.
//   - reset: after the turn, the context returns to the root and session
//     attributes, the pending question and backtracking blocks are
//     forgotten.
//   - end: after the turn, the session is forgotten and its thread ended;
//     the next message starts a new session.
//   - backtracking off: from this interaction on, every interaction the
//     session passes through is blocked from matching until backtracking
//     is turned on again, a reset or the end of the session. Goto and
//     triggers still reach blocked interactions.
//   - hand-off: the hook of [WithHandoff] says whether an agent is
//     available. If so, the success branch runs, the thread goes to AGENT
//     mode and gets a SYSTEM_MESSAGE CONVERSATION_ESCALATED, and the day's
//     Handoffs counter grows (a fallback grows Fallbacks); from then on
//     Chat records the user's messages and answers nothing (source
//     "agent") until a reset. Otherwise the failure branch runs. Without
//     the hook, an agent is available when one is present
//     ([Engine.AgentPresent]). A hook that fails or panics counts as no
//     agent: the failure branch runs, the thread gets a SYSTEM_MESSAGE
//     PROBLEMS_WITH_UPSTREAM_PROVIDER, and the error is logged. A
//     branch's goto is followed even inside a goto. One hand-off per turn.
//   - persona: the thread's persona from now on, this turn's later
//     responses included (see Personas below).
//   - webhook: the function registered with [WithWebhook] receives the
//     turn; its messages join the fulfillment where the action stands,
//     its attributes are merged as a set action's are (a value too long
//     fails the turn with [ErrValueTooLong], naming the webhook; a name
//     that does not match ^[\w-]{1,128}$ is left out with a warning).
//     A webhook with no function but a URL in the bot's settings
//     (settings webhooks) is posted there by an [HTTPWebhook] that New
//     and Reload build ([WithWebhookURLs] gives the token that signs the
//     calls, the default timeout and the client): the host's function
//     wins over the bot's URL, and a reload takes a changed URL. A call
//     that fails (no answer in time, a status other than 2xx, a reply
//     that is not the documented JSON) wraps [ErrWebhookFailed]: the
//     interaction's contextual fallback, else the story's, answers, and
//     the thread gets PROBLEMS_WITH_UPSTREAM_PROVIDER. A webhook with
//     neither is skipped.
//
// With Request.Debug, the result lists the ranked candidates and one
// fulfillment entry per action performed (types setAttributes, goto,
// reset, end, backtracking, handoff, webhook, persona).
//
// # Threads, agents and events
//
// A thread is one conversation of one session. Chat continues the
// session's current thread; the Threads API names a thread instead: by the
// id its creator chose, or its store id. CreateThread gives a thread a
// session of its own (whose id is the thread's store id), so a ChatBot.com
// client may continue it with that sessionId. Send from the user runs a
// chat turn in the named thread, reopening it if it had ended; when the
// thread's session has expired, the turn starts the session afresh in the
// same thread.
//
// Every turn of the user records a USER_MESSAGE, whatever the request
// holds: a query is its text; a goto (a button pressed) records the
// button's title with store.Message.Goto set to the interaction id, the
// title being Send's message, or for Chat the title of a goto button to
// that interaction in the last answer's interaction (the active context)
// or else in the target's story, and the interaction's name if no button
// leads there; a trigger records its event name, in the text and in
// store.Message.Trigger, whether the client or the host sent it. Presses
// and triggers are user messages in every way: they count toward the
// bot's message_limit and the user's messages, and a thread in AGENT mode
// records them without an answer; only a trigger is never a thread's
// first message (store.Thread.FirstMessage). An automated message's goto
// is the bot speaking first and records no USER_MESSAGE.
//
// Modes: in AI mode the bot answers; in AGENT mode the user's messages are
// recorded and the bot is silent (Response source "agent"). A thread goes
// to AGENT mode by the bot's hand-off action when an agent is available,
// by Escalate (escalated, with a SYSTEM_MESSAGE CONVERSATION_ESCALATED and
// the Handoffs counter), by a user's message that is an escalation
// follow-up prompt ([Prompt]; escalated likewise, and the bot is silent),
// by TakeOver or by UpdateThread; it returns by
// HandBack, UpdateThread or a reset. An agent's message never changes the
// mode. Without a hand-off hook, an agent is available when one is present
// ([Engine.AgentPresent], which live streams of agents call).
//
// System messages record why a thread changed: CONVERSATION_ESCALATED (a
// hand-off or Escalate), EXCEEDED_USAGE_LIMITS (a user's message in a
// thread holding the bot's message_limit: recorded, and the bot is silent,
// Response source "limit"), PROVIDED_EMAIL (a turn gave the user, or the
// session, a default_email it did not have; the message's text is the
// address), EMAIL_VERIFIED and ENTERED_WRONG_OTP (below), PERSONA_SELECTED
// (the thread's persona changed: text, its name or "default") and
// PROBLEMS_WITH_UPSTREAM_PROVIDER (the hand-off hook, a fulfilment webhook
// or the code sender failed).
//
// # Personas
//
// A bot may declare personas (story.Persona): response styles whose
// variants a text response gives besides its own. A thread answers in its
// persona (store.Thread.Persona), set by the bot's persona action or by
// [Engine.SelectPersona]; a thread without one answers in the persona
// assigned to the bot ([Engine.AssignPersona], kept in memory like
// prompts), else in the bot's own style. A text response without variants
// for the persona says its own. A new thread starts without a persona.
//
// # Email verification
//
// With [WithCodeSender], a user who gives an email address in a turn
// (PROVIDED_EMAIL) is sent a one-time code of [CodeDigits] digits through
// the host's [CodeSender], and the session awaits it for [CodeLifetime]
// (staying open that long). A message of that many digits while a code is
// awaited is an attempt to enter it, even in AGENT mode, and the bot says
// nothing else (Response source "verification"): the right code records
// EMAIL_VERIFIED (text: the address) and sets the user's VerifiedEmail,
// so that store.User.Verified holds until their default_email changes; a
// wrong one records ENTERED_WRONG_OTP saying how many attempts are left
// (after [MaxCodeAttempts] the code is no longer accepted), and so does a
// code entered after it expired. Any other message is a message: the code
// is still awaited. [Engine.SendCode] sends a new code to the address of a
// thread's user (one tied by CreateThread, or asking again). The session
// keeps a SHA-256 of the code with its id, never the code. Only a
// conversation with a user is verified: an address set on a session
// without one stays a session attribute.
//
// Every change to a thread (a turn, a message, a mode change) runs in its
// session's queue and commits in one store transaction; subscribers then
// receive an EventMessage for each message appended, with its number, and
// an EventThreadChanged when the mode or escalation changed, in the order
// of the changes: a live stream or a webhook outbox built on Subscribe sees
// each thread's messages in order.
//
// A [Feed] reads those events from a bounded buffer: a reader that falls
// behind by more than its buffer is dropped ([ErrSlowReader]) and never
// slows a turn. A feed of a thread numbers its events by message and
// resumes from the stored messages, so nothing is lost or repeated. A feed
// of the whole bot reads the store's event log ([store.EventLog]): every
// message appended and every thread created, changed or deleted leaves an
// entry in the same transaction, at a position in commit order; one
// goroutine per engine follows the log while such feeds are open (woken
// after each change here, and by the store's notifications of other
// processes' changes) and hands the entries to them, with their positions
// as ids. A feed that resumes reads the log after its id itself, so it
// loses nothing across a restart or a move to another process sharing the
// store, and repeats nothing; an id the log no longer keeps (it keeps the
// last 100,000 entries by default) or of another store starts the feed
// with an EventReset. Positions are in commit order rather than by time or
// message number because turns commit out of time order and reactions
// rewrite messages in place: a reader that resumed by time would skip a
// turn that started before its last event and committed after it.
//
// # Webhooks
//
// Every message appended to a thread with a webhook URL, or to any thread
// when the bot has a Messages webhook, becomes an ADD_MESSAGE delivery; an
// escalation a CONVERSATION_ESCALATED (Escalations webhook), a thread's
// user given by email a NEW_LEAD (Leads webhook). A turn stores its
// deliveries in the store's outbox in its own transaction, so they exist
// exactly when the turn does, whatever happens to the process after.
// [Engine.RunWebhooks] posts them: at least once, in order per thread and
// receiver, with the token in X-WEBHOOK-TOKEN, an HMAC-SHA256 of the body
// in X-Webhook-Signature ([Sign]) and the event id in X-Webhook-Id for
// receivers to drop repeats; failures are retried with backoff, and a slow
// receiver delays only its own thread's deliveries, never a turn.
//
// # Automated messages
//
// The bot can speak first. A store.AutomatedMessage has a trigger (the
// start of a conversation, a page view, after N seconds on a page, N
// seconds of silence, a host event such as "drink_ready", or a schedule),
// a condition in expr over the user and the visit (see
// story.AutomationEnv: attributes and variables, tags, segments, first and
// last seen, the page and the time on it, counters, the time of day in
// the user's default_timezone or the bot's [WithTimeZone]), delivery rules
// (once per user by default, once per session, at most N times, a minimum
// interval, not while an agent has the conversation unless allowed), a
// priority, and what it says: a text with quick replies, or a goto into an
// interaction, which then answers with anything a bot can send.
//
// [Engine.SaveAutomatedMessage] compiles the condition when saving and
// refuses a bad one with its line and column. [Engine.PageView] and
// [Engine.Notify] report what happens; a session's first turn is a start;
// [Engine.Tick], which [Engine.RunAutomations] calls every second, sends
// what time decides. Of the messages one occasion would send, only the one
// of highest priority is sent. The store decides each delivery
// atomically ([store.AutomatedMessages.ClaimAutomatedDelivery]), so that once per
// user holds across processes; a delivery is claimed before the message
// is appended, so a crash in between loses the message rather than
// sending it twice. The message is appended to the session's thread as a
// NORMAL_MESSAGE, reaches subscribers as an EventMessage whose Automated
// names it, and counts in the day's Automated counter.
//
// # Visits
//
// [Engine.PageView] reports that a user views a page (URL, title,
// referrer), or has left it: the page calls it through its thread
// (httpadapter's page-views route) or the host for any session. Each view
// is a store.Visit of the user (the one named, else the session's), or of
// the session while it has none, with the times landed and left: the next
// view, or a report that the user left, closes the open one. The store
// keeps the last store.MaxVisits (100) of each; [Engine.Visits] returns
// them (Userbot's intel.visitdetails). Conditions see them as visits,
// pages and page_counts, read only by the conditions that use them, so
// "the third look at the pricing page" holds across sessions and
// processes; the current page, the time on it and page_views are the
// session's, in this engine's memory. A page view naming a thread sends
// its automated messages into that thread, also those that wait for a
// time on the page.
//
// # Leads
//
// A lead is a company (store.Company) the bot's users come from, known by
// its domain: the host's [CompanyResolver] ([WithCompanyResolver]) names
// it from the user or the address a page view came from, else the domain
// of the user's email does, unless it is a free email provider's
// ([FreeMail], a list embedded in the engine: gmail.com, outlook.com and
// the like, whose addresses say nothing of an employer). Every page view,
// and a user's chat turns at most once per [LeadInterval], record the
// company's activity: its last activity ranks the lead list
// ([Engine.Leads], Userbot's intel.leadlist), its page views are counted,
// and the user becomes one of its people ([Engine.KeyPeople]: a user is of
// one company at a time, the last seen). Operators tag companies
// ([Engine.TagLead]). The first activity of a company enqueues a NEW_LEAD
// for the bot's Leads webhook, naming the company, in the transaction that
// creates it, so it is sent once however many processes see the company
// at once.
//
// # Meetings
//
// A store.Meeting is a time slot with a status: requested by a bot's
// meeting action (story.Meeting: a title, a start rendered from the
// conversation, a length; recorded after the turn commits, the start read
// as RFC 3339 or "2006-01-02 15:04" in the user's default_timezone or the
// bot's zone), or scheduled and declined through the API
// ([Engine.ScheduleMeeting], [Engine.DeclineMeeting]: Userbot's
// meetings.schedule and meetings.decline), and listed by start time
// ([Engine.Meetings]). The host's [Calendar] ([WithCalendar]) hears of each
// change before it is stored: it may refuse it ([ErrCalendar]; nothing is
// stored) or give its event's id. Automated messages remind of scheduled
// meetings: a store.OnMeeting trigger fires After before a meeting starts
// (each meeting once, in the meeting's conversation; give it repeat
// "always" to remind of every meeting of a user), and any condition may
// read the user's next meeting (meeting, meeting_in).
// # Stored Q&A
//
// Operators add, change and delete question/answer interactions while the
// bot runs ([Engine.SaveQA], [Engine.DeleteQA], [Engine.SearchQA];
// Userbot's qeafilter channels). A store.QA becomes a root interaction of
// the default story, with the Q&A's id and label as its id and name, its
// questions as training phrases and its answer as a text response: it
// matches, answers, counts and shows in a turn's result like an
// interaction of the bot file. The bot file stays the source of the
// stories; the stored Q&A are a layer above it that New and Reload read
// from the store. A save changes the default story's matcher with
// [nlu.Matcher.With], which trains only the Q&A saved (milliseconds on a
// bot of 150 interactions), and swaps the compiled bot atomically: the
// next message matches it; turns running meanwhile finish on the bot
// they started with.
//
// # Hooks and the transaction
//
// The store may run a turn's function more than once (when another writer
// changed the same records), so the function has no side effects of its
// own. Webhooks and the hand-off hook are the exception the host asks for:
// they run inside the turn, because their answers become part of it. Their
// results are remembered for the Chat call, keyed by the action's place in
// the bot, so a retried attempt reuses them and the host sees each hook
// called at most once per action and Chat call. A webhook that fails or
// panics fails the Chat call with an error naming it, and nothing of the
// turn is stored; a hand-off hook that fails does not (see hand-off
// above). Events, which only report, are delivered after the
// commit.
//
// # Caveats
//
//   - A hook runs before the turn commits: if the commit then fails (the
//     context is cancelled, the store is closed), the host's side effect
//     has happened for a turn that is not stored.
//   - A hook runs while the session's turn is in progress: a slow hook
//     delays the next turns of that session (not of others).
//   - Request.Confidence and Request.Lifespan use 0 for "the bot's
//     setting", so an explicit 0 in JSON reads as absent here. An HTTP
//     face that can tell them apart refuses it (httpadapter answers 400).
//   - A session stays in the story it was last moved to (by storyId, a
//     goto or a trigger) until another request moves it or it ends.
//   - A set action that makes a user's default_email equal another user's
//     fails the turn with store.ErrConflict.
//   - Variants are deterministic per session only with [WithSeed]; without
//     it the seed is random for each Engine.
//   - Custom entities are [nlu.Dictionary] extractors: values and synonyms
//     match ignoring case and accents, in other word forms through the
//     bot language's stemmer ("two lattes"), and a word of five or more
//     letters with one typo ("capuccino"); see [nlu.NewDictionary]. In a
//     bot of several languages they stem in the default language: give
//     other languages' words as synonyms. System entities read numbers
//     and yes or no in the turn's language.
//   - A turn's language is Request.Language, else the user's
//     default_language, else the bot's default, among the bot's languages
//     (story.Settings.Languages, by name or ISO 639-1 code, a region such
//     as "de-AT" aside); a language the bot does not speak counts as none
//     given. Each language has its own matcher, trained on the
//     phrases in it, or in the default language for an interaction with
//     none in it.
//   - A bot that gives no language is English, whatever its phrases are
//     written in: the engine does not guess the default language, which
//     decides how every message is read, from phrases that an author may
//     add or edit. [Lint] (parley check) warns when such a bot's phrases
//     are clearly in another language ([nlu.DetectLanguage]).
//   - Entities take part in matching: a story's matcher reads the values
//     of its parameters' custom entities, and of the system entities its
//     phrases mark ("a table for [4](people)"), as one word per entity, and
//     each interaction with custom entities counts their values as evidence
//     for it, so "a small quattro formaggi" matches the pizza order though
//     no phrase names a pizza. A sys.any parameter is filled from the words
//     around its marks ("call me [Bob](name)" reads "call me Ada"). A
//     marked value must be one its entity reads, or it fills nothing and
//     its phrase matches less well: [Lint] (parley check) finds those.
//   - Page views and the quiet time of sessions are kept in the memory of
//     the engine that saw them (up to 200,000 sessions): with several
//     processes, time on a page and idle triggers fire in the process the
//     page reports to. Deliveries and schedules are decided in the store
//     and hold across processes. An engine reads the automated messages
//     another process saved within [AutoRefresh].
//   - Once per session means not again in the session the message was
//     last sent in.
//   - Stored Q&A belong to the default story: a session another story
//     holds does not match them. Q&A another process saves reach an
//     engine within [AutoRefresh] while [Engine.RunAutomations] runs
//     ([Engine.SyncQA]), else at its next Reload or start.
//   - A compiled model ([WithModel]) does not know the stored Q&A, and its
//     matchers cannot learn: an engine with stored Q&A trains its default
//     story rather than load it, and the first Q&A saved on a loaded one
//     trains the default story with all its Q&A (then saves are
//     incremental again).
//   - A Q&A saved at run time is trained against the bot's phrases, but
//     the bot's interactions are not trained again against its questions;
//     a start or Reload trains everything at once. On CLINC150, adding the
//     last 10 intents one by one this way moves top-1 accuracy on the val
//     split by two tenths of a point (nlu's TestWithCLINC150).
package engine
