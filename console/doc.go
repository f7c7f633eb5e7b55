// Package console talks with an engine in plain text: at a terminal, with
// line editing and history, or over pipes, one reply block per line, so that
// scripts and test files can drive a bot the way a person does. It renders
// a response as text (choices as numbers, cards, images as links) and maps a
// typed number back to the button it names. examples/coffee and the parley
// command's chat and test use it; a host program may too.
//
// # Main types
//
//   - Chat: one conversation with an [engine.Engine]. [Chat.Request] turns a
//     typed line into a request: a message, the number of a choice the last
//     reply offered, or a command such as "/trigger NAME". [Chat.Send] runs the
//     turn. [Chat.Run] is the whole loop: read a line, send it, print the reply.
//   - Render writes a response as text. Quick replies, buttons and the
//     buttons of cards become numbered choices; [Choices] lists them.
//
// The lines a Chat understands:
//
//	TEXT              a message (the request's query)
//	N                 picks choice N of the last reply; a number with no
//	                  such choice is a message
//	/trigger NAME     sends an event ("/trigger welcome" starts again)
//	/goto NAME|ID     continues at an interaction: its id, or its name in
//	                  the bot's default story, else in the others
//	/reset [TEXT]     starts the session again, with TEXT or the welcome
//	/debug            shows or hides what the engine understood (Run only)
//	/help, /quit      (Run only)
//
// # Caveats
//
// Render ignores delays: messages are printed at once. At a terminal, Run
// puts the terminal in raw mode, so Ctrl-C ends the conversation like
// Ctrl-D rather than raising a signal; a context cancelled meanwhile is
// noticed after the next line.
package console
