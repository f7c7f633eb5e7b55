package console

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/parleybot/parley/engine"
)

// Render writes the bot's answer in res to w as text, one or more lines per
// message and never an empty line:
//
//	Which size: small, medium or large?
//	One large latte with oat milk. Shall I start brewing?
//	  1. Yes, brew it
//	  2. No, cancel
//	[image https://example.com/latte.jpg]
//	Latte: Small 2.80, large 3.60
//	  3. Order latte
//	  - Our shop: https://example.com
//
// Buttons that send something (postbacks and gotos) are numbered in the
// order of [Choices]; URL buttons are listed with their address. Action
// entries of a debug result are shown in brackets. An answer with no message
// is one line in parentheses saying why.
func Render(w io.Writer, res engine.Response) error {
	r := renderer{w: w}
	if len(res.Result.Fulfillment) == 0 {
		if res.Result.Source == engine.SourceAgent {
			r.line("(a human agent has the conversation: the bot is silent)")
		} else {
			r.line("(no reply)")
		}
	}
	for _, f := range res.Result.Fulfillment {
		r.fulfillment(f)
	}
	return r.err
}

// Choices returns the buttons of res that a user can pick by number: the
// postback and goto buttons of its quick replies, buttons, cards and
// carousels, in order. Choice n of Render is Choices(res)[n-1].
func Choices(res engine.Response) []engine.Button {
	var bs []engine.Button
	var walk func(f engine.Fulfillment)
	walk = func(f engine.Fulfillment) {
		for _, b := range f.Buttons {
			if picks(b) {
				bs = append(bs, b)
			}
		}
		for _, c := range f.Cards {
			walk(c)
		}
	}
	for _, f := range res.Result.Fulfillment {
		walk(f)
	}
	return bs
}

func picks(b engine.Button) bool {
	return b.Type == engine.ButtonPostback || b.Type == engine.ButtonGoto
}

type renderer struct {
	w   io.Writer
	n   int // choices numbered so far
	err error
}

// line writes s, one line per line of s, skipping empty ones so that an
// empty line can end a reply block.
func (r *renderer) line(s string) {
	for l := range strings.SplitSeq(s, "\n") {
		l = strings.TrimRight(l, " \t\r")
		if l == "" || r.err != nil {
			continue
		}
		_, r.err = io.WriteString(r.w, l+"\n")
	}
}

func (r *renderer) fulfillment(f engine.Fulfillment) {
	switch f.Type {
	case engine.TypeText:
		r.line(f.Message)
	case engine.TypeImage:
		r.line("[image " + f.Message + "]")
	case engine.TypeQuickReplies, engine.TypeButtons:
		r.line(f.Title)
		r.buttons(f.Buttons)
	case engine.TypeCard:
		r.card(f)
	case engine.TypeCarousel:
		for _, c := range f.Cards {
			r.card(c)
		}
	default: // an action of a debug result
		var b strings.Builder
		b.WriteString("[" + f.Type)
		for _, k := range sortedKeys(f.Data) {
			fmt.Fprintf(&b, " %s=%s", k, quote(f.Data[k]))
		}
		if f.Message != "" {
			b.WriteString(" " + quote(f.Message))
		}
		r.line(b.String() + "]")
	}
}

func (r *renderer) card(c engine.Fulfillment) {
	title := c.Title
	if c.Subtitle != "" {
		if title != "" {
			title += ": "
		}
		title += c.Subtitle
	}
	r.line(title)
	if c.Image != "" {
		r.line("  [image " + c.Image + "]")
	}
	r.buttons(c.Buttons)
}

func (r *renderer) buttons(bs []engine.Button) {
	for _, b := range bs {
		if picks(b) {
			r.n++
			r.line("  " + strconv.Itoa(r.n) + ". " + b.Title)
		} else {
			r.line("  - " + b.Title + ": " + b.Value)
		}
	}
}

// quote quotes s if it is empty or holds spaces or quotes.
func quote(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\"=") {
		return strconv.Quote(s)
	}
	return s
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
