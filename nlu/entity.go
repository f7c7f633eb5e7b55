package nlu

// An Entity is a value found in a text.
type Entity struct {
	// Name is the entity's name: a system entity's name (such as "number")
	// or a dictionary's name.
	Name string
	// Value is the canonical value: a dictionary value's canonical form, a
	// number as a normalised decimal string ("1200", "2.5"), "yes" or "no"
	// for the yes/no entities, otherwise the matched text.
	Value string
	// Text is the matched part of the original text, text[Start:End].
	Text string
	// Start and End are byte offsets into the original text.
	Start, End int
}

// An Extractor finds the entities of one kind in a text. Extract returns them
// in order of position, without overlaps. Extractors are safe for
// concurrent use.
type Extractor interface {
	Extract(text string) []Entity
}

// SystemNames lists the system entities [System] knows.
var SystemNames = []string{"any", "alphanumeric", "email", "integer", "number", "phone", "url", "yes", "no", "yes-no"}

// System returns the system entity extractor with the given name (without a
// "sys." prefix), and whether there is one. [WithLanguage] chooses the
// language of the words number, integer, yes, no and yes-no read (default
// English): numbers written as words ("zweiundvierzig", "vingt et un",
// "kaksikymmentäkolme") and yes and no ("ja, gerne", "non merci") in each
// of [Languages] and in bulgarian, chinese, hebrew, japanese, korean, thai,
// ukrainian and vietnamese ("二十一" is 21 with WithLanguage("zh"), "はい"
// yes with WithLanguage("ja")); any other language reads English's words
// ("twenty one", "yes please"), not its own;
// digits are read in every script ("२५", "٢٥"), also inside a word of a
// script written without spaces ("ピザを3枚"); number and integer read
// ordinals as their numbers in English, German, French, Spanish, Italian,
// Portuguese and Dutch ("second", "der zweite", "la deuxième", "2ème").
// The package's Caveats say what each language reads. Other options are
// ignored; a bad one gives false.
func System(name string, opts ...Option) (Extractor, bool) {
	cfg, err := applyOptions(opts)
	if err != nil {
		return nil, false
	}
	lw := words(cfg.lang)
	switch name {
	case "any":
		return extractorFunc(extractAny), true
	case "alphanumeric":
		return extractorFunc(extractAlphanumeric), true
	case "email":
		return extractorFunc(extractEmail), true
	case "phone":
		return extractorFunc(extractPhone), true
	case "url":
		return extractorFunc(extractURL), true
	case "integer":
		return extractorFunc(func(text string) []Entity { return extractInteger(lw, text) }), true
	case "number":
		return extractorFunc(func(text string) []Entity { return extractNumber(lw, text) }), true
	case "yes":
		return extractorFunc(func(text string) []Entity { return findYesNo(lw, "yes", "yes", text) }), true
	case "no":
		return extractorFunc(func(text string) []Entity { return findYesNo(lw, "no", "no", text) }), true
	case "yes-no":
		return extractorFunc(func(text string) []Entity { return findYesNo(lw, "yes-no", "", text) }), true
	}
	return nil, false
}

// extractorFunc adapts a function to the Extractor interface.
type extractorFunc func(string) []Entity

func (f extractorFunc) Extract(text string) []Entity { return f(text) }
