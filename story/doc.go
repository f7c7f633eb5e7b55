// Package story is the bot as data: stories, interactions, entities and
// responses, loaded and validated from YAML or JSON files in an [fs.FS].
//
// A loaded *Bot is immutable and safe for concurrent use.
package story
