package console

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// A Chat is one conversation with an engine, driven by lines of text. Set
// its fields before the first call. A Chat is not safe for concurrent use;
// the engine it talks to is shared as usual.
type Chat struct {
	// Engine answers. Required.
	Engine *engine.Engine
	// SessionID names the conversation: 10–64 characters. Required.
	SessionID string
	// UserID, if set, ties the session to a user that exists in the
	// engine's store (see engine.Request.UserID).
	UserID string
	// Language, if set, is the language of every turn of the chat
	// (engine.Request.Language: by name or ISO 639-1 code); otherwise the
	// user's default_language or the bot's default language applies.
	Language string
	// Debug asks the engine for debug results, and makes Run show what it
	// understood before each reply: the interaction, its score, the
	// parameters and the best candidates.
	Debug bool
	// Echo makes Run print each line it reads, as "> LINE", before its
	// reply block, so that the output of a piped conversation reads as a
	// transcript. Leave it off at a terminal, which shows what is typed.
	Echo bool
	// After, if set, is called by Run with each response it printed. The
	// requests it returns are sent next, in order, and their responses
	// printed (and passed to After) in the same reply block. A host uses
	// it for what happens after a turn: a coffee machine fires the event
	// "drink_ready" once the drink it was asked to brew is done.
	After func(ctx context.Context, res engine.Response) []engine.Request
	// Notify, if set, is called by Run with each response it printed. The
	// host events it returns are reported to the engine (engine.Notify;
	// the chat's session and user unless an event names others), and the
	// automated messages they send are printed in the same reply block. A
	// coffee machine reports "drink_ready" once the drink it was asked to
	// brew is done.
	Notify func(ctx context.Context, res engine.Response) []engine.HostEvent

	choices []engine.Button // of the last reply
}

// Request turns a line typed by the user into a request (see the package
// documentation for the lines it understands). SessionID, UserID, Debug
// and Language are filled in by Send. Lines Run handles itself, such as "/help", are
// unknown commands here.
func (c *Chat) Request(line string) (engine.Request, error) {
	line = strings.TrimSpace(line)
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(c.choices) {
		b := c.choices[n-1]
		if b.Type == engine.ButtonGoto {
			return engine.Request{Goto: b.Value}, nil
		}
		return engine.Request{Query: b.Value}, nil
	}
	if !strings.HasPrefix(line, "/") {
		return engine.Request{Query: line}, nil
	}
	cmd, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch cmd {
	case "/trigger":
		if arg == "" {
			return engine.Request{}, errors.New("console: /trigger needs an event name")
		}
		return engine.Request{Trigger: arg}, nil
	case "/goto":
		if arg == "" {
			return engine.Request{}, errors.New("console: /goto needs an interaction name or id")
		}
		id, err := c.interaction(arg)
		return engine.Request{Goto: id}, err
	case "/reset":
		if arg == "" {
			return engine.Request{Reset: true, Trigger: "welcome"}, nil
		}
		return engine.Request{Reset: true, Query: arg}, nil
	}
	return engine.Request{}, fmt.Errorf("console: unknown command %q", cmd)
}

// interaction returns the id of the interaction called name: in the
// default story first, then in the others. An id is returned as it is.
func (c *Chat) interaction(name string) (string, error) {
	b := c.Engine.Bot()
	if b.Interaction(name) != nil {
		return name, nil
	}
	stories := append([]*story.Story{b.DefaultStory()}, b.Stories...)
	for _, s := range stories {
		if in := s.InteractionByName(name); in != nil {
			return in.ID, nil
		}
	}
	return "", fmt.Errorf("console: no interaction %q", name)
}

// Send runs req as a turn of the chat's session and remembers the choices
// of the response, so that a number picks one of them next.
func (c *Chat) Send(ctx context.Context, req engine.Request) (engine.Response, error) {
	req.SessionID = c.SessionID
	if req.UserID == "" {
		req.UserID = c.UserID
	}
	req.Debug = req.Debug || c.Debug
	if req.Language == "" {
		req.Language = c.Language
	}
	res, err := c.Engine.Chat(ctx, req)
	if err != nil {
		return res, err
	}
	c.choices = Choices(res)
	return res, nil
}

// Say sends the request a typed line stands for: Request, then Send.
func (c *Chat) Say(ctx context.Context, line string) (engine.Response, error) {
	req, err := c.Request(line)
	if err != nil {
		return engine.Response{}, err
	}
	return c.Send(ctx, req)
}

const help = `Type a message, or:
  N               pick choice N of the last reply
  /trigger NAME   send an event
  /goto NAME      continue at an interaction
  /reset [TEXT]   start the session again
  /debug          show or hide what the bot understood
  /quit           leave (also Ctrl-D)`

// Run talks with the engine until in ends, the user types "/quit", or ctx
// is done. It first sends the trigger "welcome", then reads lines and
// prints each reply block followed by an empty line. When in and out are
// both terminals it shows a prompt and offers line editing and history;
// otherwise it reads in line by line and answers every non-empty line with
// exactly one block, so that a script can send a line and read up to the
// next empty line.
//
// A request the engine refuses (a bad line, an unknown command, a message
// over the limits) is reported in its block as "error: ..." and the
// conversation goes on. Run returns nil at the end of in, the context's
// error when it is done, and any other error of the engine or of writing
// to out.
func (c *Chat) Run(ctx context.Context, in io.Reader, out io.Writer) error {
	read, w, restore, err := open(ctx, in, out)
	if err != nil {
		return err
	}
	defer restore()

	if err := c.reply(ctx, w, engine.Request{Trigger: "welcome"}); err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("console: read: %w", err)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if c.Echo {
			if _, err := fmt.Fprintf(w, "> %s\n", line); err != nil {
				return err
			}
		}
		switch line {
		case "/quit", "/exit":
			return nil
		case "/help":
			_, err = fmt.Fprint(w, help+"\n\n")
		case "/debug":
			c.Debug = !c.Debug
			_, err = fmt.Fprintf(w, "(debug %s)\n\n", map[bool]string{true: "on", false: "off"}[c.Debug])
		default:
			req, rerr := c.Request(line)
			if rerr != nil {
				_, err = fmt.Fprintf(w, "error: %v\n\n", rerr)
				break
			}
			err = c.reply(ctx, w, req)
		}
		if err != nil {
			return err
		}
	}
}

// reply sends req, prints the reply block and what After adds to it.
func (c *Chat) reply(ctx context.Context, w io.Writer, req engine.Request) error {
	for queue := []engine.Request{req}; len(queue) > 0; queue = queue[1:] {
		res, err := c.Send(ctx, queue[0])
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, store.ErrClosed) {
				return err
			}
			if _, err := fmt.Fprintf(w, "error: %v\n", err); err != nil {
				return err
			}
			continue
		}
		if c.Debug {
			if err := describe(w, res); err != nil {
				return err
			}
		}
		if err := Render(w, res); err != nil {
			return err
		}
		if c.After != nil {
			queue = append(queue, c.After(ctx, res)...)
		}
		if c.Notify != nil {
			for _, ev := range c.Notify(ctx, res) {
				if err := c.notify(ctx, w, ev); err != nil {
					return err
				}
			}
		}
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// notify reports ev and prints the automated messages it sends.
func (c *Chat) notify(ctx context.Context, w io.Writer, ev engine.HostEvent) error {
	if ev.SessionID == "" {
		ev.SessionID = c.SessionID
	}
	if ev.UserID == "" {
		ev.UserID = c.UserID
	}
	msgs, err := c.Engine.Notify(ctx, ev)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, store.ErrClosed) {
			return err
		}
		_, err = fmt.Fprintf(w, "error: %v\n", err)
		return err
	}
	for _, m := range msgs {
		if m.Type != store.BotMessage {
			continue
		}
		res := engine.Response{Result: engine.Result{Fulfillment: []engine.Fulfillment{{Type: engine.TypeText, Message: m.Text}}}}
		if len(m.Fulfillment) > 0 {
			if err := json.Unmarshal(m.Fulfillment, &res.Result.Fulfillment); err != nil {
				return fmt.Errorf("console: automated message: %w", err)
			}
		}
		if err := Render(w, res); err != nil {
			return err
		}
		c.choices = Choices(res)
	}
	return nil
}

// describe writes what the engine understood, in brackets.
func describe(w io.Writer, res engine.Response) error {
	r := res.Result
	var b strings.Builder
	fmt.Fprintf(&b, "[%s score=%.2f", r.Interaction.Name, r.Score)
	if r.Incomplete {
		b.WriteString(" incomplete")
	}
	if r.Interaction.Action != "" {
		b.WriteString(" action=" + quote(r.Interaction.Action))
	}
	fmt.Fprintf(&b, " lifespan=%d", r.Lifespan)
	for _, k := range sortedKeys(r.Parameters) {
		fmt.Fprintf(&b, " %s=%s", k, quote(r.Parameters[k]))
	}
	b.WriteString("]\n")
	if len(r.Candidates) > 0 {
		b.WriteString("[candidates:")
		for i, cand := range r.Candidates {
			if i == 5 {
				b.WriteString(" ...")
				break
			}
			fmt.Fprintf(&b, " %s=%.2f", quote(cand.Name), cand.Score)
		}
		b.WriteString("]\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// open returns how to read lines from in and where to write replies: a
// terminal in raw mode with line editing when in and out are terminals,
// else in line by line and out as it is. restore undoes the raw mode.
//
// Reading line by line stops when ctx is done, even while in blocks (say,
// a terminal on stdin whose user pressed Ctrl-C while stdout goes to a
// pipe): a goroutine reads in, and ends when in does or restore is called.
func open(ctx context.Context, in io.Reader, out io.Writer) (read func() (string, error), w io.Writer, restore func(), err error) {
	fin, ok1 := in.(*os.File)
	fout, ok2 := out.(*os.File)
	if ok1 && ok2 && term.IsTerminal(int(fin.Fd())) && term.IsTerminal(int(fout.Fd())) {
		state, err := term.MakeRaw(int(fin.Fd()))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("console: terminal: %w", err)
		}
		t := term.NewTerminal(struct {
			io.Reader
			io.Writer
		}{fin, fout}, "> ")
		return t.ReadLine, t, func() { term.Restore(int(fin.Fd()), state) }, nil
	}
	type line struct {
		text string
		err  error
	}
	lines := make(chan line)
	stop := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(in)
		for {
			var l line
			if sc.Scan() {
				l.text = sc.Text()
			} else if l.err = sc.Err(); l.err == nil {
				l.err = io.EOF
			}
			select {
			case lines <- l:
			case <-stop:
				return
			}
			if l.err != nil {
				return
			}
		}
	}()
	read = func() (string, error) {
		select {
		case l := <-lines:
			return l.text, l.err
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	return read, out, func() { close(stop) }, nil
}
