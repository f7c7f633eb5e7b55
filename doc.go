// Package parley is the root of Parley, an embedded, in-process bot engine
// for Go: a host program (a web service, a kiosk, a coffee machine, a test
// suite) loads a bot from files and talks to it with a function call, with
// no server, no network and no cloud account. This package holds no code;
// it is the map.
//
// # The way in
//
// Load a bot, open a store, build an engine, chat:
//
//	bot, err := story.Load(os.DirFS("bots/coffee"), ".")
//	db, err := badgerstore.Open(dir, badgerstore.SmallDevice())
//	defer db.Close()
//	eng, err := engine.New(db, bot)
//	res, err := eng.Chat(ctx, engine.Request{SessionID: "kiosk-0001", Query: "a large latte"})
//
// The runnable version is ExampleEngine_Chat in engine/example_test.go
// (https://pkg.go.dev/github.com/parleybot/parley/engine#example-Engine.Chat),
// and examples/coffee is a whole kiosk program to copy.
//
// # Packages
//
//   - [github.com/parleybot/parley/story]: the bot as data, loaded and
//     validated from YAML or JSON files in an fs.FS (embed.FS on devices);
//     [github.com/parleybot/parley/story/botfile] is the file format as Go
//     values, which story.Export writes, and
//     [github.com/parleybot/parley/story/importer] turns Dialogflow ES and
//     Rasa bots into it.
//   - [github.com/parleybot/parley/engine]: the conversation runtime; every
//     behaviour lives here. Chat answers with ChatBot.com's response shape.
//   - [github.com/parleybot/parley/nlu]: text in, scored matches out;
//     [github.com/parleybot/parley/nlu/wordvec] holds the English word
//     vectors it reads words a large bot never saw with.
//   - [github.com/parleybot/parley/store]: the record types (users,
//     sessions, threads, messages) and the interfaces the engine needs;
//     [github.com/parleybot/parley/store/badgerstore] is the embedded
//     default, [github.com/parleybot/parley/store/pgstore] keeps the same
//     records in PostgreSQL for several processes, and
//     [github.com/parleybot/parley/store/storetest] is the suite every
//     backend passes.
//   - [github.com/parleybot/parley/httpadapter]: an http.Handler serving
//     engines with the REST APIs of ChatBot.com and SiteGPT, Userbot's
//     WebSocket commands, live streams and the API's own pages.
//   - [github.com/parleybot/parley/web]: the web face, embedded static files
//     over those APIs: a chat widget for any page (one script tag), a kiosk
//     screen, an agent console and an operator dashboard.
//   - [github.com/parleybot/parley/console]: a conversation in plain text, at
//     a terminal or over pipes, with choices as numbers.
//   - [github.com/parleybot/parley/metrics]: a server's counters in
//     Prometheus's format.
//   - github.com/parleybot/parley/cmd/parley: the command that checks, tests,
//     chats with, draws, imports, exports and serves bots ("parley help").
//
// Imports point down: programs and examples use web, httpadapter or console,
// which use engine, which uses story, nlu and store; backends implement
// store. ARCHITECTURE.md walks one Chat call through them.
package parley
