package story

import "time"

// Limits of the bot format. Loading rejects a bot file that exceeds any of
// them, with an error naming the field and the limit. Lengths count Unicode
// code points (runes), not bytes. The engine and the HTTP adapter reuse the
// limits that are also limits of the chat API (for example [MaxQueryLen]).
const (
	// MaxFileSize is the largest bot file Load reads, in bytes.
	MaxFileSize = 8 << 20

	// MaxNameLen bounds story, interaction and entity names.
	MaxNameLen = 128
	// MaxActionLen bounds an interaction's action string.
	MaxActionLen = 128
	// MaxStories bounds the stories of a bot.
	MaxStories = 100
	// MaxInteractions bounds the interactions of one story.
	MaxInteractions = 2000

	// MaxQueryLen bounds a user's message in the chat API; a training
	// phrase and a button's postback are messages too, so they share it.
	MaxQueryLen = 256
	// MaxPhrases bounds the training phrases of one interaction.
	MaxPhrases = 1000
	// MaxTriggers bounds the triggers (event names) of one interaction.
	MaxTriggers = 20
	// MaxTriggerLen bounds an event name (the chat API's trigger field).
	MaxTriggerLen = 50

	// MaxParameters bounds the parameters of one interaction (the chat
	// API's parameters object).
	MaxParameters = 99
	// MaxParameterNameLen bounds a parameter name.
	MaxParameterNameLen = 128
	// MaxPrompts bounds the prompt variants of one parameter.
	MaxPrompts = 20
	// MaxRetries bounds how many times a required parameter is asked
	// again after an answer that does not fill it.
	MaxRetries = 10

	// MaxAttributes bounds the attributes of a user or a session, and
	// the attributes one set action assigns (the chat API's attributes object).
	MaxAttributes = 99
	// MaxAttributeNameLen bounds an attribute name.
	MaxAttributeNameLen = 128
	// MaxAttributeValueLen bounds an attribute value.
	MaxAttributeValueLen = 1024

	// MaxEntities bounds the custom entities of a bot.
	MaxEntities = 1000
	// MaxEntityValues bounds the values of one custom entity, and
	// MaxSynonyms the synonyms of one value: the bounds of the NLU's
	// dictionaries (nlu.MaxValues, nlu.MaxSynonyms), so that a bot that
	// loads also compiles.
	MaxEntityValues = 2000
	MaxSynonyms     = 99
	// MaxEntityValueLen bounds an entity value or synonym.
	MaxEntityValueLen = 256

	// MaxResponses bounds the responses (and actions) of one interaction.
	MaxResponses = 99
	// MaxTextVariants bounds the variants of a text response.
	MaxTextVariants = 20
	// MaxTextLen bounds one text variant, a prompt and a hand-off message.
	MaxTextLen = 1024
	// MaxMeetingTitleLen bounds the title and start of a meeting action,
	// MaxMeetingNotesLen its notes.
	MaxMeetingTitleLen = 256
	MaxMeetingNotesLen = 1024
	// MaxImageURLLen bounds the URL of an image response.
	MaxImageURLLen = 1024
	// MaxQuickRepliesTitleLen bounds the title of quick replies.
	MaxQuickRepliesTitleLen = 640
	// MaxQuickReplies bounds the buttons of quick replies.
	MaxQuickReplies = 11
	// MaxButtonsTitleLen bounds the title of a buttons response.
	MaxButtonsTitleLen = 640
	// MaxButtons bounds the buttons of a buttons response.
	MaxButtons = 3
	// MaxCardTitleLen bounds a card's title.
	MaxCardTitleLen = 80
	// MaxCardSubtitleLen bounds a card's subtitle.
	MaxCardSubtitleLen = 80
	// MaxCardImageURLLen bounds a card's image URL.
	MaxCardImageURLLen = 2048
	// MaxCardButtons bounds a card's buttons.
	MaxCardButtons = 3
	// MaxCarouselCards bounds the cards of a carousel.
	MaxCarouselCards = 10
	// MaxButtonTitleLen bounds a button's title.
	MaxButtonTitleLen = 80
	// MaxButtonURLLen bounds a button's URL.
	MaxButtonURLLen = 2048
	// MaxDelay bounds a delay response.
	MaxDelay = 10 * time.Second
	// MaxWebhookNameLen bounds a webhook name.
	MaxWebhookNameLen = 128
	// MaxWebhookURLs bounds the webhooks the settings give a URL;
	// MaxWebhookURLLen bounds each URL.
	MaxWebhookURLs, MaxWebhookURLLen = 64, 2048
	// MinWebhookTimeout and MaxWebhookTimeout bound the timeout the
	// settings give a webhook's URL.
	MinWebhookTimeout, MaxWebhookTimeout = 100 * time.Millisecond, 30 * time.Second

	// MaxConditionLen bounds the source of a condition or filter.
	MaxConditionLen = 1024
	// MaxConditionNodes bounds the size of a condition's syntax tree.
	MaxConditionNodes = 200

	// MinConfidence and MaxConfidence bound the confidence setting
	// (the chat API's confidence field).
	MinConfidence, MaxConfidence = 0.1, 1.0
	// MinLifespan and MaxLifespan bound the lifespan setting (the chat
	// API's lifespan field).
	MinLifespan, MaxLifespan = 1, 10
	// MinSessionTimeout and MaxSessionTimeout bound the session timeout.
	MinSessionTimeout, MaxSessionTimeout = time.Minute, 24 * time.Hour
	// MaxMessageLimit bounds the message_limit setting.
	MaxMessageLimit = 100000
	// MaxPromptButtons bounds quick_prompts and follow_up_prompts.
	MaxPromptButtons = 50
	// MaxPromptLen bounds a prompt's title and description, and the
	// bot's title.
	MaxPromptLen = 500
	// MaxDescriptionLen bounds the bot's description, and a persona's
	// description and instructions.
	MaxDescriptionLen = 2000
	// MaxPersonas bounds the personas of a bot; MaxPersonaNameLen a
	// persona's name.
	MaxPersonas       = 50
	MaxPersonaNameLen = 64
)

// MaxLanguages is the most languages a bot speaks (settings.languages).
const MaxLanguages = 32

// Defaults of the bot settings, used when a bot's files leave them out.
const (
	DefaultLanguage       = "english"
	DefaultConfidence     = 0.5
	DefaultLifespan       = 2
	DefaultSessionTimeout = 10 * time.Minute
)

// DefaultRetries is how many more times a parameter's question is asked,
// when the parameter does not say, after an answer that does not fill it.
const DefaultRetries = 1

// Languages lists the languages whose words the engine stems (the Snowball
// stemmers of the nlu package). Bot files name them by name or by ISO
// 639-1 code ("de", or "de-DE" with a region), and the loaded bot spells
// them by name ("german").
// Any other language is accepted too; its phrases match without stemming
// (and Chinese, Japanese, Korean, Hebrew, Ukrainian, Bulgarian, Vietnamese
// and Thai, whose numbers, yes and no are read, by their codes too).
var Languages = []string{"arabic", "armenian", "basque", "catalan", "czech", "danish", "dutch", "english", "esperanto",
	"estonian", "finnish", "french", "german", "greek", "hindi", "hungarian", "indonesian", "irish", "italian",
	"lithuanian", "nepali", "norwegian", "persian", "polish", "portuguese", "romanian", "russian", "serbian", "sesotho",
	"spanish", "swedish", "tamil", "turkish", "yiddish"}

// languageCodes maps the ISO 639-1 codes of [Languages], and of the
// languages without a stemmer whose numbers, yes and no the engine reads
// (Chinese, Japanese, Korean, Hebrew, Ukrainian, Bulgarian, Vietnamese,
// Thai), to their names: a bot file may name a language by
// either.
var languageCodes = map[string]string{
	"ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish", "nl": "dutch",
	"en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french", "de": "german",
	"el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
	"lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "fa": "persian",
	"pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish",
	"sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
	"bg": "bulgarian", "he": "hebrew", "iw": "hebrew", "ja": "japanese", "ko": "korean", "th": "thai",
	"uk": "ukrainian", "vi": "vietnamese", "zh": "chinese",
}

// SystemEntities lists the system entities a parameter may name, without
// their "sys." prefix. The nlu package implements them under these names.
var SystemEntities = []string{"any", "alphanumeric", "email", "integer", "number", "phone", "url", "yes", "no", "yes-no"}

// DefaultAttributes lists the user attributes that every user may have
// (the chat API's default_* attributes). Templates may always name them.
var DefaultAttributes = []string{
	"default_email", "default_name", "default_url", "default_id", "default_avatar",
	"default_language", "default_timezone", "default_gender", "default_ip",
	"default_city", "default_region", "default_country", "default_referrer",
	"default_username", "default_real_name",
}
