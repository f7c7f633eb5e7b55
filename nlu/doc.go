// Package nlu turns text into scored matches: it normalises and tokenizes
// messages, extracts entities, and ranks labelled examples against a query.
// It knows nothing of stories: the engine hands it (label, phrase) examples
// and asks which labels a message may mean.
//
// # Matching
//
// [Train] builds a [Matcher] from [Example] values; [Matcher.Predict] ranks
// the labels eligible under a [Set] against a query, with scores in [0, 1].
// A normalised exact training phrase and a keyword pattern hit score 1.
//
// # Analysis
//
// [Normalize] applies Unicode NFKC and case folding; [Tokenize] splits text
// into words, numbers and symbols with byte offsets. Words are stemmed with
// the Snowball stemmer of the matcher's language, one of [Languages]:
// english, french, hungarian, norwegian, russian, spanish, swedish. Any other
// language works without stemming.
//
// # Entities
//
// [System] returns the system entities (any, alphanumeric, email, integer,
// number, phone, url, yes, no, yes-no); [NewDictionary] builds custom ones.
//
// # Caveats
//
//   - Number words, ordinals and yes/no phrases are English only.
package nlu
