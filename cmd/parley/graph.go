package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/parleybot/parley/story"
)

// runGraph prints a bot's stories as a flow chart.
func runGraph(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "mermaid", "`mermaid` (for Markdown on GitHub and GitLab) or dot (Graphviz)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parley graph [-format mermaid|dot] FILE|DIR...")
		fmt.Fprintln(stderr, "\nPrints the bot's stories as a flow chart: welcome, fallbacks, follow-ups,")
		fmt.Fprintln(stderr, "gotos, buttons that go somewhere, triggers, webhooks and hand-offs.")
		fmt.Fprintln(stderr, "  parley graph bot.yaml > flow.mmd")
		fmt.Fprintln(stderr, "  parley graph -format dot bot.yaml | dot -Tsvg > flow.svg")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	b, _, code := loadArgs("graph", fs, args, stderr)
	if b == nil {
		return code
	}
	if *format != "mermaid" && *format != "dot" {
		fmt.Fprintf(stderr, "parley graph: -format %q: must be mermaid or dot\n", *format)
		return 2
	}
	g := flowOf(b)
	var err error
	if *format == "dot" {
		err = g.writeDOT(stdout)
	} else {
		err = g.writeMermaid(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "parley graph:", err)
		return 1
	}
	return 0
}

// A flow is a bot drawn as nodes and edges, written as Mermaid or DOT.
type flow struct {
	stories []flowStory
	extra   []flowNode // triggers, webhooks, the agent: outside the stories
	edges   []flowEdge
}

type flowStory struct {
	name  string
	nodes []flowNode
}

// A flowNode's shape says what it is.
type flowNode struct {
	id, label string
	shape     nodeShape
}

type nodeShape int

const (
	shapeInteraction nodeShape = iota
	shapeWelcome               // a story's welcome
	shapeFallback              // a fallback, of the story or of a context
	shapeReference             // a shortcut to another interaction
	shapeTrigger               // an event
	shapeWebhook               // a Go function of the host
	shapeAgent                 // a human agent (hand-off)
)

// A flowEdge is solid for a follow-up (parent to child), dotted for a
// jump (goto, button, reference, hand-off branch) and thick for a trigger.
type flowEdge struct {
	from, to, label string
	style           edgeStyle
}

type edgeStyle int

const (
	edgeFollowUp edgeStyle = iota
	edgeJump
	edgeTrigger
)

// flowOf draws b.
func flowOf(b *story.Bot) *flow {
	g := &flow{}
	ids := map[*story.Interaction]string{}
	n := 0
	for _, s := range b.Stories {
		for _, in := range s.Interactions {
			ids[in] = fmt.Sprintf("i%d", n)
			n++
		}
	}
	extra := map[string]string{} // "kind:name" → node id
	extraNode := func(kind, name string, shape nodeShape) string {
		k := kind + ":" + name
		if id, ok := extra[k]; ok {
			return id
		}
		id := fmt.Sprintf("x%d", len(extra))
		extra[k] = id
		g.extra = append(g.extra, flowNode{id: id, label: name, shape: shape})
		return id
	}
	edges := map[flowEdge]bool{}
	edge := func(e flowEdge) {
		if !edges[e] {
			edges[e] = true
			g.edges = append(g.edges, e)
		}
	}
	for _, s := range b.Stories {
		fs := flowStory{name: s.Name}
		for _, in := range s.Interactions {
			node := flowNode{id: ids[in], label: in.Name}
			switch {
			case in.Role == story.RoleStart:
				node.shape = shapeWelcome
			case in.Role == story.RoleElse:
				node.shape = shapeFallback
			case in.Reference != nil:
				node.shape = shapeReference
			}
			if in.Anywhere {
				node.label += " (anywhere)"
			}
			fs.nodes = append(fs.nodes, node)
			if in.Parent != nil {
				edge(flowEdge{from: ids[in.Parent], to: ids[in], style: edgeFollowUp})
			}
			if in.Reference != nil {
				edge(flowEdge{from: ids[in], to: ids[in.Reference], label: "same as", style: edgeJump})
			}
			for _, t := range in.Triggers {
				edge(flowEdge{from: extraNode("trigger", t, shapeTrigger), to: ids[in], style: edgeTrigger})
			}
			var walk func(rs []*story.Response, label string)
			walk = func(rs []*story.Response, label string) {
				for _, r := range rs {
					switch r.Kind {
					case story.KindGoto:
						edge(flowEdge{from: ids[in], to: ids[r.Goto], label: join(label, "goto"), style: edgeJump})
					case story.KindWebhook:
						edge(flowEdge{from: ids[in], to: extraNode("webhook", r.Webhook, shapeWebhook), label: label, style: edgeJump})
					case story.KindHandoff:
						agent := extraNode("agent", "agent", shapeAgent)
						edge(flowEdge{from: ids[in], to: agent, label: join(label, "hand-off"), style: edgeJump})
						for _, br := range []struct {
							name string
							b    story.Branch
						}{{"taken", r.Handoff.Success}, {"no agent", r.Handoff.Failure}} {
							if br.b.Goto != nil {
								edge(flowEdge{from: agent, to: ids[br.b.Goto], label: br.name, style: edgeJump})
							}
							walk(br.b.Responses, join(label, br.name))
						}
					}
					var buttons []*story.Button
					switch {
					case r.QuickReplies != nil:
						buttons = r.QuickReplies.Buttons
					case r.Buttons != nil:
						buttons = r.Buttons.Buttons
					case r.Card != nil:
						buttons = r.Card.Buttons
					}
					for _, c := range r.Carousel {
						buttons = append(buttons, c.Buttons...)
					}
					for _, bt := range buttons {
						if bt.Kind == story.ButtonGoto && bt.Goto != nil {
							edge(flowEdge{from: ids[in], to: ids[bt.Goto], label: join(label, bt.Title.String()), style: edgeJump})
						}
					}
				}
			}
			walk(in.Responses, "")
		}
		g.stories = append(g.stories, fs)
	}
	return g
}

// join joins the non-empty parts of a label.
func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ": ")
}

// writeMermaid writes g as a Mermaid flowchart.
func (g *flow) writeMermaid(w io.Writer) error {
	var sb strings.Builder
	sb.WriteString("flowchart TD\n")
	node := func(indent string, n flowNode) {
		l := mermaidText(n.label)
		open, close := "[", "]"
		switch n.shape {
		case shapeWelcome:
			open, close = "([", "])"
		case shapeFallback:
			open, close = "{{", "}}"
		case shapeReference:
			open, close = "[[", "]]"
		case shapeTrigger:
			open, close, l = ">", "]", mermaidText("event "+n.label)
		case shapeWebhook:
			open, close, l = "[/", "/]", mermaidText("webhook "+n.label)
		case shapeAgent:
			open, close, l = "((", "))", "agent"
		}
		fmt.Fprintf(&sb, "%s%s%s\"%s\"%s\n", indent, n.id, open, l, close)
	}
	for i, s := range g.stories {
		fmt.Fprintf(&sb, "  subgraph s%d[\"%s\"]\n", i, mermaidText(s.name))
		for _, n := range s.nodes {
			node("    ", n)
		}
		sb.WriteString("  end\n")
	}
	for _, n := range g.extra {
		node("  ", n)
	}
	for _, e := range g.edges {
		arrow := map[edgeStyle]string{edgeFollowUp: "-->", edgeJump: "-.->", edgeTrigger: "==>"}[e.style]
		if e.label != "" {
			fmt.Fprintf(&sb, "  %s %s|\"%s\"| %s\n", e.from, arrow, mermaidText(e.label), e.to)
		} else {
			fmt.Fprintf(&sb, "  %s %s %s\n", e.from, arrow, e.to)
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// mermaidText escapes s for a quoted Mermaid label.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", " ", "<", "#lt;", ">", "#gt;").Replace(s)
}

// writeDOT writes g as a Graphviz digraph.
func (g *flow) writeDOT(w io.Writer) error {
	var sb strings.Builder
	sb.WriteString("digraph bot {\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	node := func(indent string, n flowNode) {
		attrs := ""
		l := n.label
		switch n.shape {
		case shapeWelcome:
			attrs = ", shape=box, style=\"rounded,bold\""
		case shapeFallback:
			attrs = ", shape=hexagon, style=solid"
		case shapeReference:
			attrs = ", shape=box, style=dashed"
		case shapeTrigger:
			attrs, l = ", shape=cds, style=solid", "event "+n.label
		case shapeWebhook:
			attrs, l = ", shape=parallelogram, style=solid", "webhook "+n.label
		case shapeAgent:
			attrs, l = ", shape=circle, style=solid", "agent"
		}
		fmt.Fprintf(&sb, "%s%s [label=%s%s];\n", indent, n.id, dotQuote(l), attrs)
	}
	for i, s := range g.stories {
		fmt.Fprintf(&sb, "  subgraph cluster_s%d {\n    label=%s;\n", i, dotQuote(s.name))
		for _, n := range s.nodes {
			node("    ", n)
		}
		sb.WriteString("  }\n")
	}
	for _, n := range g.extra {
		node("  ", n)
	}
	for _, e := range g.edges {
		var attrs []string
		if e.label != "" {
			attrs = append(attrs, "label="+dotQuote(e.label))
		}
		switch e.style {
		case edgeJump:
			attrs = append(attrs, "style=dashed")
		case edgeTrigger:
			attrs = append(attrs, "style=bold")
		}
		a := ""
		if len(attrs) > 0 {
			a = " [" + strings.Join(attrs, ", ") + "]"
		}
		fmt.Fprintf(&sb, "  %s -> %s%s;\n", e.from, e.to, a)
	}
	sb.WriteString("}\n")
	_, err := io.WriteString(w, sb.String())
	return err
}

// dotQuote quotes s as a DOT string.
func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
