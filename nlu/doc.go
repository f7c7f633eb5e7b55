// Package nlu turns text into scored matches: it normalises and tokenizes
// messages, extracts entities, and ranks labelled examples against a query.
// It knows nothing of stories.
package nlu
