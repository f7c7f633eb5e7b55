package story

import (
	_ "embed"
	"slices"
)

//go:embed bot.schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of a bot file, for
// editors: a YAML file that starts with
//
//	# yaml-language-server: $schema=path/to/bot.schema.json
//
// gets completion and checks. The schema checks the shape and the limits;
// Load checks more (names that must resolve, templates, conditions).
// The returned slice is a copy.
func Schema() []byte { return slices.Clone(schema) }
