// Package httpadapter serves an engine over HTTP with the REST API of the
// hosted chatbot platforms Parley follows. It translates JSON and errors and
// holds no rule of its own.
package httpadapter
