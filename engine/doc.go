// Package engine is the conversation runtime: it joins a bot (package story),
// the matcher (package nlu) and a store (package store), and answers one chat
// turn per call.
package engine
