// Package story is the bot as data: stories, interactions, entities and
// responses, loaded and validated from YAML or JSON files in an [fs.FS]
// (an [embed.FS] on devices, a [testing/fstest.MapFS] in tests).
//
// [Load] reads a bot's files, checks everything it can, compiles every
// condition and template, and returns an immutable [*Bot]. It reports all
// the problems of the files at once, each as an [*Error] with its file,
// line and column, joined with [errors.Join]. The engine then only walks
// the bot; nothing is parsed again while chatting.
//
// # Main types
//
//   - [Bot]: [Settings], custom [Entity] values, and [Story] values; look-ups
//     by id ([Bot.Story], [Bot.Interaction]) and name use maps built by Load.
//   - [Story]: its [Interaction] values, its roots, its [Story.Welcome]
//     (role start) and its default [Story.Fallback] (role else).
//   - [Interaction]: training [Phrase] values, triggers, its place in the
//     tree ([Interaction.Parent], [Interaction.Children], the contextual
//     [Interaction.Fallback] of its children), [Parameter] slots, an optional
//     [Condition], and [Response] values.
//   - [Response]: one response or action; its [ResponseKind] says which
//     field holds the content.
//   - [Condition] and [Template]: compiled expressions and texts.
//
// # The file format
//
// A bot file is a mapping with up to five keys: settings, attributes,
// entities, stories and automated_messages. A bot may span several files (for example one
// story per file); settings may appear in only one of them. A short bot:
//
//	# yaml-language-server: $schema=../../story/bot.schema.json
//	settings: {language: english, confidence: 0.5, lifespan: 2, session_timeout: 10m}
//	attributes: [loyalty_level]        # set by the host; templates may name them
//	entities:
//	  - name: size
//	    values:
//	      - {value: large, synonyms: [big, grande]}
//	      - small                      # a value without synonyms
//	stories:
//	  - name: Coffee
//	    interactions:
//	      - name: Welcome
//	        role: start                # the story's welcome
//	        responses:
//	          - text: "Hi {{default_name|there}}!"
//	      - name: Order
//	        says: [a large latte please, i want a coffee]
//	        parameters:
//	          - {name: size, entity: size, required: true, prompts: ["Which size?"]}
//	        responses:
//	          - text: ["One {{size}} coffee coming up.", "A {{size}} one, sure."]
//	          - set: {session: {last_size: "{{size}}"}}
//	      - name: Cancel
//	        parent: Order              # a follow-up: reachable while Order is the context
//	        says: [no, cancel]
//	        responses: [{text: Cancelled.}, {reset: true}]
//	      - name: Fallback
//	        role: else                 # the story's default fallback
//	        says: [what's the weather]  # out-of-scope examples
//	        responses: [{text: "Sorry, I only make coffee."}]
//
// Settings default to [DefaultLanguage], [DefaultConfidence],
// [DefaultLifespan] and [DefaultSessionTimeout]; session_timeout is a Go
// duration. timezone (an IANA name, such as Europe/Rome) is the zone whose
// time of day conditions read; without it, the user's default_timezone,
// else UTC, never the process's local zone. The default story
// ([Bot.DefaultStory]) is the one named by
// default_story, or else the first story loaded. message_limit (0, the
// default, for none) is the most messages a thread holds before the bot
// stops answering in it. title and description describe the bot;
// quick_prompts (conversation starters) and follow_up_prompts are lists
// of {title, description, link} ([Prompt]): the title is the button, the
// description the message it sends, the link an http(s) page it opens
// instead; a follow-up prompt with escalation: true hands the thread to a
// person when the user sends it. personas are response styles
// ([Persona]: {name, title, description, instructions}) a thread may
// select: a text response may give variants for them under personas,
// said instead of its own in a thread with that persona,
//
//	responses:
//	  - text: [Hi!, Hello!]
//	    personas: {pirate: "Ahoy!", formal: [Good day., Greetings.]}
//
// and the action persona: NAME selects one for the thread (persona:
// default returns to the bot's own style). appearance ([Appearance]) is
// how a chat page shows the bot: welcome_message, placeholder_text,
// brand_color and brand_text_color (#rgb or #rrggbb), rtl, locale (a
// language tag) and localization (the page's own words by key).
//
// webhooks ([WebhookURL]) gives webhook actions to a web service: each
// name, as the actions give it, maps to a URL, or to a url and a timeout
// (a Go duration from 100ms to 30s; without one, the host's):
//
//	settings:
//	  webhooks:
//	    stock: https://shop.example/parley/stock
//	    brew: {url: "https://kitchen.example/brew", timeout: 3s}
//
// The engine posts each call of such a webhook to its URL as JSON and
// reads the reply (engine.HTTPWebhook), unless the host registers a
// function under the same name, which wins. A URL is http or https with a
// host, and may not carry user information (user:password@): secrets stay
// out of bot files, and the host signs each call with a token of its own
// (parley serve's -webhook-token, or $PARLEY_WEBHOOK_TOKEN). [Lint] warns
// about a URL for a name that no webhook action calls.
//
// A bot may speak several languages: language is the default, and
// languages lists the others, each by name or by ISO 639-1 code ("de",
// or "de-DE" with a region, reads as german wherever a language is named;
// "zh" as chinese, and so the codes of the other languages whose numbers,
// yes and no are read unstemmed). says and keywords then
// take a mapping from language to phrases ({english: [...], german:
// [...]}), a list being in the default language, and a response may carry
// language: german to be given only in German turns. An interaction
// without phrases in a turn's language matches on its default-language
// phrases, and one without a message in the turn's language gives its
// default-language messages (those without a language); actions without
// a language run in every language. The engine decides a turn's language
// ([Settings.Languages]).
//
// automated_messages lists messages the bot sends first ([AutomatedMessage]):
// each has a name, a trigger ({on: start | page_view | idle | event |
// schedule} with event, after, at, daily and days as the trigger needs), an
// optional condition over [AutomationEnv] (compiled when the bot loads; an
// error gives its line and column), the delivery rules repeat (once,
// session, always), max_times, min_interval, during_agent and priority,
// and what it says: a text with quick_replies, or a goto to an interaction
// of the default story. The engine stores the declared messages that the
// store does not have by name; a stored message of the same name wins.
//
// An interaction has a name, unique in its story, and these optional
// fields: id (24 lowercase hex digits; by default derived from the story's
// and the interaction's names, so it survives reloads and edits elsewhere);
// role (start: the story's welcome, one root per story; else: a fallback,
// one per level: the root's is the story's default fallback, a child's is
// the contextual fallback of its parent); action (a string for the host);
// parent (the name of the interaction whose context it needs); anywhere
// (true: reachable from any context); reference (an interaction to continue
// at instead: a shortcut with phrases but no responses of its own); says
// (training phrases matched by machine learning); keywords (phrases matched
// when the message holds all their words); triggers (event names);
// condition; parameters; and responses.
//
// The says phrases of a fallback are negative examples: messages that are
// out of scope for the bot, which the engine trains so that they match no
// other interaction.
//
// A says phrase may mark entity values, as Rasa's training data does:
// "a [large](size) [latte](drink) please" marks "large" as a value of the
// interaction's parameter size and "latte" of drink ([Mark]). The phrase
// trains on its text without the brackets; the matcher takes the marked
// words, and any value or synonym of the parameter's entity in a message, as
// evidence for the interaction. A mark must name a parameter of its
// interaction, and its value should be one the parameter's entity reads
// (a value or synonym), which engine.Lint checks, and it should be words of
// their own: a mark inside a word ("[large](size)pizza") is read as the
// word, and loading warns; \[ and \] write literal brackets. Template braces
// ("{{size}}"), a placeholder ("{size}") and Dialogflow's "@size" in a
// phrase are only text: loading keeps them and warns ([Bot.Warnings]).
//
// A parameter has a name, an entity (a custom entity of the bot, or one of
// sys.any, sys.alphanumeric, sys.email, sys.integer, sys.number, sys.phone,
// sys.url, sys.yes, sys.no, sys.yes-no), and optionally required, prompts
// (variants asking for it; required parameters need them), retries and
// give_up (said when the retries run out).
//
// A required parameter forgives: an answer that does not fill it gets the
// question again, retries more times ([DefaultRetries], 1, unless the
// parameter says; retries: 0 gives up at the first), then give_up, or the
// fallback without one. An answer that clearly matches another interaction
// (scoring at least halfway from the confidence to 1: 0.75 at the default
// 0.5) leaves the question and answers there instead; one that merely
// shares a word with another interaction does not.
//
// Each response is a mapping with exactly one of these keys, and optionally
// a filter (a condition that must hold for it to be given):
//
//	text: "Hello" or [variants]          one variant is picked per turn
//	image: URL
//	quick_replies: {title, buttons}      buttons: postback or goto
//	buttons: {title, buttons}            buttons: postback, goto or url
//	card: {title, subtitle, image, buttons}
//	carousel: [cards]
//	delay: milliseconds
//	set: {user: {name: value}, session: {name: value}}
//	goto: interaction
//	reset: true                          context to the root, session forgotten
//	end: true                            the session ends
//	backtracking: false                  passed interactions become unreachable until reset or end
//	handoff: {success: branch, failure: branch}   branch: {responses: [...]} or {goto: interaction}
//	webhook: name                        a Go function the host registers, or the URL of settings webhooks
//	persona: name                        the thread's persona from now on (default: none)
//	meeting: {title, start, minutes, notes}  ask for a meeting: start renders to "2006-01-02 15:04" or RFC 3339
//	goal: name                           counts the goal as reached in the day's statistics
//
// A button is a string (its title, also sent as its postback) or a mapping
// with a title and one of postback, goto and url. A goto, a reference or a
// button's goto names an interaction of the same story, or gives the id of
// an interaction of any story.
//
// [Export] writes a loaded bot back as one file ([botfile.File]) that
// loads as the same bot; programs that write bot files (importers,
// editors) build a botfile.File too.
//
// The limits of the format (lengths, counts, ranges) are the constants
// Max*; loading refuses a file beyond any of them. bot.schema.json, the
// JSON Schema of the format ([Schema]), gives editors completion and
// checks.
//
// # Conditions
//
// Conditions and filters are [expr-lang] expressions that yield a bool,
// compiled when the bot loads against [Env]. They see: user, session and
// params (maps of strings: user.plan, session["last_size"], params.size; a
// missing name reads as ""), score (the match score, 0 to 1), message (the
// user's message), failures (fallbacks in a row), and the time of the
// message as hour, minute, weekday ("monday"...), day, month and year, in
// the bot's timezone, else the user's default_timezone, else UTC.
// They may use literals, arrays, the operators of expr (arithmetic,
// comparison, and/or/not, in, contains, startsWith, endsWith, matches with
// a literal pattern, ?:, ?., ??, indexing and slicing) and the functions in
// [ConditionFunctions]: len, lower, upper, trim, int, float, string, abs,
// min and max. For example:
//
//	int(user.age) >= 18 && weekday in ["saturday", "sunday"]
//
// Everything else is refused at load: other builtins (including all,
// filter, map and reduce, which expr keeps even with its builtins
// disabled), method calls, function calls, ranges, let, and maps. A
// condition has at most [MaxConditionNodes] nodes.
//
// # Templates
//
// Every text of a response (titles, buttons, postbacks, URLs, attribute
// values) and every prompt is a [Template]: {{name}} inserts the value of
// the parameter or attribute called name, and {{name|default}} inserts
// default when it has no value or an empty one. Without a default, a
// missing name renders as the empty string. A template may only name
// something that can exist when it is rendered: a parameter of its
// interaction or of one of the interaction's parents, a default_* user
// attribute ([DefaultAttributes]), an attribute that some set action of the
// bot assigns, or an attribute declared under attributes (the way to name
// attributes that the host sets). Anything else is a load error.
//
// # Caveats
//
//   - YAML anchors and aliases (&a, *a, <<: *a) are refused, to keep
//     loading bounded; repeat the content instead.
//   - A derived id changes when a story or an interaction is renamed; give
//     an explicit id to keep it. A goto by name cannot cross stories; use
//     the target's id.
//   - Attributes and parameters are strings in conditions: compare numbers
//     through int() or float(). A condition that fails at run time (such as
//     int("abc")) returns an error from [Condition.Eval], which the engine
//     treats as false.
//   - Rendered templates are not escaped: a value inserted into a URL is
//     inserted as it is.
//   - YAML syntax errors carry a line but no column; yaml.v3 reports the
//     line where the enclosing block or collection starts. Columns in JSON
//     files count bytes.
//   - This package describes behaviour (keyword matching, backtracking,
//     lifespans, hand-offs); package engine implements it.
//
// [expr-lang]: https://expr-lang.org
package story
