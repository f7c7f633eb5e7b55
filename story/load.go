package story

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads a bot from the named files of fsys and validates it. A path
// that names a directory stands for the .yaml, .yml and .json files in it
// (not in sub-directories), in lexical order. Files ending in .json are
// JSON; all others are YAML. The files together make one bot: settings
// may appear in at most one of them; attributes, entities and stories
// accumulate in the order of the paths.
//
// Load reports every problem it finds, each as an *[Error] with its
// position, joined with errors.Join; it returns a nil *Bot if there is
// any. It never panics, whatever the input.
func Load(fsys fs.FS, paths ...string) (*Bot, error) {
	l := newLoader()
	if len(paths) == 0 {
		return nil, errors.New("story: load: no bot files given")
	}
	for _, p := range paths {
		for _, name := range l.expand(fsys, p) {
			l.file(fsys, name)
		}
	}
	l.link()
	l.checkSize()
	if len(l.errs) > 0 {
		l.sortErrors()
		return nil, errors.Join(l.errs...)
	}
	l.digest.Sum(l.bot.digest[:0])
	return l.bot, nil
}

// A loader accumulates a bot over its files, then links it.
type loader struct {
	bot    *Bot
	errs   []error
	files  []string  // in the order loaded
	digest hash.Hash // of the files' contents; see Bot.Digest

	languages []string  // the languages setting
	langUses  []langUse // languages of phrases and responses

	settingsPos     Pos
	defaultStoryPos Pos
	attrs           map[string]bool // attributes declared or set anywhere
	ids             map[string]idOwner
	storyNodes      map[*Story]*yaml.Node
	roleNodes       map[*Interaction]*yaml.Node
	parents         []parentUse
	targets         []target
	references      []refUse
	templates       []templateUse
	entityUses      []entityUse
	marks           []markUse
	personaUses     []personaUse
	autoGotos       []automatedGoto
}

// personaUse is a persona named by a response, checked once the settings
// are known.
type personaUse struct {
	name string
	pos  Pos
}

// A langUse is a language named by phrases or a response, checked once
// the settings are known.
type langUse struct {
	lang string
	pos  Pos
}

type idOwner struct {
	pos  Pos
	what string
}

// parentUse is an interaction's parent field, resolved in link.
type parentUse struct {
	in   *Interaction
	name string
	node *yaml.Node
	file string
}

// target is a goto or a reference, resolved in link.
type target struct {
	name  string
	what  string
	pos   Pos
	story *Story
	set   func(*Interaction)
}

type refUse struct {
	in  *Interaction
	pos Pos
}

type templateUse struct {
	t   *Template
	pos Pos
	in  *Interaction
}

type entityUse struct {
	p   *Parameter
	pos Pos
}

func newLoader() *loader {
	return &loader{
		bot: &Bot{
			Settings: Settings{
				Language:       DefaultLanguage,
				Confidence:     DefaultConfidence,
				Lifespan:       DefaultLifespan,
				SessionTimeout: DefaultSessionTimeout,
			},
			storyByID:    map[string]*Story{},
			storyByName:  map[string]*Story{},
			byID:         map[string]*Interaction{},
			entityByName: map[string]*Entity{},
		},
		digest:     sha256.New(),
		attrs:      map[string]bool{},
		ids:        map[string]idOwner{},
		storyNodes: map[*Story]*yaml.Node{},
		roleNodes:  map[*Interaction]*yaml.Node{},
	}
}

// sortErrors orders the errors by file, in load order, then position.
func (l *loader) sortErrors() {
	key := func(err error) (int, int, int) {
		var e *Error
		if !errors.As(err, &e) {
			return -1, 0, 0
		}
		return slices.Index(l.files, e.File), e.Line, e.Col
	}
	slices.SortStableFunc(l.errs, func(a, b error) int {
		fa, la, ca := key(a)
		fb, lb, cb := key(b)
		if fa != fb {
			return fa - fb
		}
		if la != lb {
			return la - lb
		}
		return ca - cb
	})
}

func (l *loader) errorAt(p Pos, format string, args ...any) {
	l.errs = append(l.errs, &Error{File: p.File, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...)})
}

// expand turns a path into the bot files it names.
func (l *loader) expand(fsys fs.FS, name string) []string {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		l.errs = append(l.errs, &Error{File: name, Msg: "cannot read bot file", Err: err})
		return nil
	}
	if !info.IsDir() {
		return []string{name}
	}
	entries, err := fs.ReadDir(fsys, name)
	if err != nil {
		l.errs = append(l.errs, &Error{File: name, Msg: "cannot read bot directory", Err: err})
		return nil
	}
	var files []string
	for _, e := range entries {
		switch path.Ext(e.Name()) {
		case ".yaml", ".yml", ".json":
			if !e.IsDir() {
				files = append(files, path.Join(name, e.Name()))
			}
		}
	}
	if len(files) == 0 {
		l.errs = append(l.errs, &Error{File: name, Msg: "directory holds no .yaml, .yml or .json bot files"})
	}
	return files
}

func (l *loader) file(fsys fs.FS, name string) {
	l.files = append(l.files, name)
	f, err := fsys.Open(name)
	if err != nil {
		l.errs = append(l.errs, &Error{File: name, Msg: "cannot read bot file", Err: err})
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	f.Close()
	if err != nil {
		l.errs = append(l.errs, &Error{File: name, Msg: "cannot read bot file", Err: err})
		return
	}
	if len(data) > MaxFileSize {
		l.errs = append(l.errs, &Error{File: name, Msg: fmt.Sprintf("bot file is larger than %d bytes", MaxFileSize)})
		return
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a byte order mark, as some editors write
	json := strings.EqualFold(path.Ext(name), ".json")
	// The digest covers what decides the bot: each file's syntax and
	// content, in order, but not its name.
	var head [9]byte
	if json {
		head[0] = 1
	}
	binary.LittleEndian.PutUint64(head[1:], uint64(len(data)))
	l.digest.Write(head[:])
	l.digest.Write(data)
	root, err := parseFile(data, json)
	if err != nil {
		e := &Error{File: name, Msg: "syntax error", Err: err}
		var pe *posError
		if errors.As(err, &pe) {
			e.Line, e.Col, e.Err = pe.line, pe.col, pe.err
		} else if line, msg, ok := yamlErrorLine(err); ok {
			msg += flowHint(data, line, msg)
			e.Line, e.Err = line, errors.New(msg)
		}
		l.errs = append(l.errs, e)
		return
	}
	if root == nil {
		l.errs = append(l.errs, &Error{File: name, Msg: "bot file is empty"})
		return
	}
	d := &dec{l: l, file: name}
	if a := findAlias(root); a != nil {
		d.errorf(a, "YAML aliases (*name) are not supported in bot files; repeat the content")
		return
	}
	d.file1(root)
}

// yamlErrorLine extracts the line from a yaml.v3 error such as
// "yaml: line 3: mapping values are not allowed in this context".
func yamlErrorLine(err error) (int, string, bool) {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	rest, ok := strings.CutPrefix(s, "line ")
	if !ok {
		return 0, s, false
	}
	num, msg, ok := strings.Cut(rest, ": ")
	if !ok {
		return 0, s, false
	}
	line := 0
	for _, c := range num {
		if c < '0' || c > '9' || line > 1e8 {
			return 0, s, false
		}
		line = line*10 + int(c-'0')
	}
	// yaml.v3 counts lines from 0 in the parser's errors (which name the
	// line where the enclosing collection starts) and from 1 in the
	// scanner's.
	if strings.HasPrefix(msg, "did not find expected") || strings.HasPrefix(msg, "found duplicate %") ||
		msg == "found incompatible YAML document" || msg == "found undefined tag handle" {
		line++
		msg += " (in the block or collection that starts here)"
	}
	return line, msg, true
}

// flowHint explains the YAML syntax error msg, at line, when it is one of
// a [ ] or { } list whose lines, from line on (a list may span several),
// hold what the YAML library cannot read in such a list unquoted: a
// [value](parameter) mark, whose brackets it reads as a list of their own,
// or a question mark, at which it ends the text ("which size?"). It
// returns "" for any other error.
func flowHint(data []byte, line int, msg string) string {
	if !strings.HasPrefix(msg, "did not find expected ',' or ']'") && !strings.HasPrefix(msg, "did not find expected ',' or '}'") {
		return ""
	}
	lines := bytes.Split(data, []byte("\n"))
	for i := line - 1; i >= 0 && i < len(lines) && i < line+10; i++ {
		if markLikeRE.Match(lines[i]) {
			return `; a phrase with a [value](parameter) mark in a [ ] list needs quotes: ["a [large](size) latte"]`
		}
	}
	for i := line - 1; i >= 0 && i < len(lines) && i < line+10; i++ {
		if unquotedQuestion(lines[i]) {
			return `; YAML ends a text at "?" in a [ ] or { } list: quote it (["which size?"]) or write the list one item a line ("- which size?")`
		}
	}
	return ""
}

// unquotedQuestion reports whether line has a "?" outside quotes and
// before any comment.
func unquotedQuestion(line []byte) bool {
	var quote byte
	for i, c := range line {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' '):
			return false
		case c == '?':
			return true
		}
	}
	return false
}

// findAlias returns the first alias node of the tree, or nil. It does not
// follow aliases, so its work is bounded by the size of the file.
func findAlias(root *yaml.Node) *yaml.Node {
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.AliasNode {
			return n
		}
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
	return nil
}

// deriveID returns the id of a story (scope "story") or of an interaction
// (scope: its story's name): the first 24 hex digits of a SHA-256 of the
// names, so it survives reloads and edits elsewhere in the files.
func deriveID(scope, name string) string {
	h := sha256.Sum256([]byte(scope + "\x00" + name))
	return hex.EncodeToString(h[:12])
}

func (l *loader) claimID(id string, p Pos, what string) {
	if prev, ok := l.ids[id]; ok {
		l.errorAt(p, "%s has id %s, already the id of %s at %s:%d:%d", what, id, prev.what, prev.pos.File, prev.pos.Line, prev.pos.Col)
		return
	}
	l.ids[id] = idOwner{p, what}
}

// link resolves names into pointers and checks what needs the whole bot.
func (l *loader) link() {
	b := l.bot
	b.Settings.Languages = []string{b.Settings.Language}
	for _, lang := range l.languages {
		if lang != b.Settings.Language {
			b.Settings.Languages = append(b.Settings.Languages, lang)
		}
	}
	for _, u := range l.langUses {
		if !slices.Contains(b.Settings.Languages, u.lang) {
			l.errorAt(u.pos, "language %q is not one of the bot's languages (%s): list it in settings.languages", u.lang, strings.Join(b.Settings.Languages, ", "))
		}
	}
	for _, s := range b.Stories {
		b.storyByID[s.ID] = s
		for _, in := range s.Interactions {
			b.byID[in.ID] = in
		}
	}
	l.linkParents()
	for _, s := range b.Stories {
		l.linkRoles(s)
	}
	for _, t := range l.targets {
		in := t.story.byName[t.name]
		if in == nil && idPattern.MatchString(t.name) {
			in = b.byID[t.name]
		}
		if in == nil {
			l.errorAt(t.pos, "%s to unknown interaction %q: no interaction of story %q has that name, and no interaction has that id", t.what, t.name, t.story.Name)
			continue
		}
		t.set(in)
	}
	for _, r := range l.references {
		switch t := r.in.Reference; {
		case t == nil:
		case t == r.in:
			l.errorAt(r.pos, "interaction %q references itself", r.in.Name)
		case t.Reference != nil:
			l.errorAt(r.pos, "interaction %q references %q, which is itself a reference; reference %q directly", r.in.Name, t.Name, t.Reference.Name)
		}
	}
	l.checkMarks()
	for _, u := range l.entityUses {
		e := b.entityByName[u.p.Entity]
		if e == nil {
			l.errorAt(u.pos, "entity %q is not defined; define it under entities, or use a system entity (sys.%s)", u.p.Entity, strings.Join(SystemEntities, ", sys."))
			continue
		}
		u.p.Custom = e
	}
	for _, u := range l.templates {
		for _, name := range u.t.Names() {
			if !l.canExist(name, u.in) {
				l.errorAt(u.pos, "{{%s}} names nothing that can exist: it is not a parameter of interaction %q or of its parents, not a default_ attribute, not set by any interaction, and not declared under attributes", name, u.in.Name)
			}
		}
	}
	for _, u := range l.personaUses {
		if !slices.ContainsFunc(b.Settings.Personas, func(p Persona) bool { return p.Name == u.name }) {
			l.errorAt(u.pos, "persona %q is not declared under settings personas", u.name)
		}
	}
	if name := b.Settings.DefaultStory; name != "" {
		b.defaultStory = b.storyByName[name]
		if b.defaultStory == nil {
			l.errorAt(l.defaultStoryPos, "default_story %q is not a story of the bot", name)
		}
	} else if len(b.Stories) > 0 {
		b.defaultStory = b.Stories[0]
	}
	l.linkAutomated()
	if len(b.Stories) == 0 && len(l.errs) == 0 {
		l.errs = append(l.errs, &Error{File: l.files[0], Msg: "the bot has no stories"})
	}
	slices.Sort(b.webhooks)
}

// canExist reports whether a template name can have a value when in runs.
func (l *loader) canExist(name string, in *Interaction) bool {
	if l.attrs[name] || slices.Contains(DefaultAttributes, name) {
		return true
	}
	// linkParents has broken any cycle of parents.
	for p := in; p != nil; p = p.Parent {
		if p.Parameter(name) != nil {
			return true
		}
	}
	return false
}

func (l *loader) linkParents() {
	for _, u := range l.parents {
		s := u.in.Story
		p := s.byName[u.name]
		if p == nil {
			l.errorAt(Pos{u.file, u.node.Line, u.node.Column}, "parent %q is not an interaction of story %q", u.name, s.Name)
			continue
		}
		u.in.Parent = p
	}
	// Find cycles: follow parents from each interaction; a walk longer
	// than the story comes back to where it has been.
	for _, u := range l.parents {
		in := u.in
		if in.Parent == nil {
			continue
		}
		steps, p := 0, in.Parent
		for p != nil && p != in && steps <= len(in.Story.Interactions) {
			p, steps = p.Parent, steps+1
		}
		if p == in {
			var names []string
			for q := in; ; q = q.Parent {
				names = append(names, q.Name)
				if q.Parent == in {
					break
				}
			}
			l.errorAt(Pos{u.file, u.node.Line, u.node.Column}, "interaction %q is in a cycle of children: %s -> %s", in.Name, strings.Join(names, " -> "), in.Name)
		}
	}
	// Break the cycles so that nothing walks them forever.
	for _, u := range l.parents {
		in := u.in
		for p := in.Parent; p != nil; p = p.Parent {
			if p == in {
				in.Parent = nil
				break
			}
		}
	}
	for _, s := range l.bot.Stories {
		for _, in := range s.Interactions {
			if in.Parent != nil {
				in.Parent.Children = append(in.Parent.Children, in)
			} else {
				s.Roots = append(s.Roots, in)
			}
		}
	}
}

func (l *loader) linkRoles(s *Story) {
	for _, in := range s.Interactions {
		node := l.roleNodes[in]
		at := func() Pos {
			if node != nil {
				return Pos{in.Pos.File, node.Line, node.Column}
			}
			return in.Pos
		}
		switch in.Role {
		case RoleStart:
			if in.Parent != nil {
				l.errorAt(at(), "interaction %q has role start but a parent; the welcome must be a root interaction", in.Name)
			} else if s.Welcome != nil {
				l.errorAt(at(), "story %q has two welcome interactions (role: start): %q and %q", s.Name, s.Welcome.Name, in.Name)
			} else {
				s.Welcome = in
			}
		case RoleElse:
			prev := &s.Fallback
			if in.Parent != nil {
				prev = &in.Parent.Fallback
			}
			if *prev != nil {
				l.errorAt(at(), "%q and %q are both fallbacks (role: else) at the same level; keep one", (*prev).Name, in.Name)
			} else {
				*prev = in
			}
		}
	}
	n := l.storyNodes[s]
	if n == nil {
		return // the story's interactions were missing, already reported
	}
	pos := Pos{s.Pos.File, n.Line, n.Column}
	if s.Welcome == nil {
		l.errorAt(pos, "story %q has no welcome interaction: give one root interaction role: start", s.Name)
	}
	if s.Fallback == nil {
		l.errorAt(pos, "story %q has no fallback interaction: give one root interaction role: else", s.Name)
	}
}
