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
// "sys." prefix), and whether there is one.
func System(name string) (Extractor, bool) {
	x, ok := systemExtractors[name]
	return x, ok
}

// extractorFunc adapts a function to the Extractor interface.
type extractorFunc func(string) []Entity

func (f extractorFunc) Extract(text string) []Entity { return f(text) }

var systemExtractors map[string]Extractor

func init() {
	systemExtractors = map[string]Extractor{
		"any":          extractorFunc(extractAny),
		"alphanumeric": extractorFunc(extractAlphanumeric),
		"email":        extractorFunc(extractEmail),
		"integer":      extractorFunc(extractInteger),
		"number":       extractorFunc(extractNumber),
		"phone":        extractorFunc(extractPhone),
		"url":          extractorFunc(extractURL),
		"yes":          extractorFunc(extractYes),
		"no":           extractorFunc(extractNo),
		"yes-no":       extractorFunc(extractYesNo),
	}
}
