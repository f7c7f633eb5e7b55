package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/parleybot/parley/story"
	"github.com/parleybot/parley/story/botfile"
)

// Rasa imports a Rasa project of any version into one story: its domain
// (domain.yml, or the YAML files of a domain directory), its training
// data (the nlu, rules and stories keys of the other YAML files; 1.x
// Markdown training data and stories; 1.x JSON training data; tests/,
// results/ and models/ are skipped, and so are README-like Markdown
// files) and the language of its config (config.yml, or 1.x's
// nlu_config.yml).
//
// Intents become interactions with their examples as training phrases;
// entity annotations ([text](entity), [text](entity:value),
// [text]{"entity": ..., "value": ...} and [text][{"entity": ...}]) become
// marks of a parameter named
// after the entity (or after the form slot it fills), and the annotated
// words, synonym sections and lookup tables become custom entities. A
// rule or story step "intent" followed by "action" steps gives the
// intent's interaction those actions as responses: utter_ responses
// (text variants, buttons as quick replies, images), custom actions as
// webhook responses, forms as required parameters asked with their
// utter_ask_ responses, action_restart as a reset. An intent later in the
// same story is a follow-up: a child of the interaction before it. A rule
// that starts with an action ("- action: utter_did_that_help") gives a
// child to every interaction that ends with that action. A retrieval
// intent's rule or story is one per intent of it, each answered by its
// own response; a rule for nlu_fallback answers in the fallback; a 1.x
// domain's intent triggers answer where no story does.
func Rasa(fsys fs.FS) (*Result, error) {
	im := &rasaImport{
		r:         &Result{File: &botfile.File{}},
		intents:   map[string]*rasaIntent{},
		utter:     map[string][]*yaml.Node{},
		utterFile: map[string]string{},
		triggers:  map[string]*yaml.Node{},
		slots:     map[string]*yaml.Node{},
		forms:     map[string]*rasaForm{},
		synonymOf: map[string]string{},
		repeated:  map[string]*repeat{},
		entities:  map[string]*dictionary{},
		actions:   map[string]bool{},
		hooks:     map[string]bool{},
	}
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != "." && (d.Name() == "tests" || d.Name() == "results" || d.Name() == "models" || strings.HasPrefix(d.Name(), ".")) {
			return fs.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		switch path.Ext(p) {
		case ".yml", ".yaml", ".json":
			files = append(files, p)
		case ".md":
			if !isProjectDoc(p) {
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	var data []rasaFile
	var items []nluItem
	for _, f := range files {
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("importer: %w", err)
		}
		src = bytes.TrimPrefix(src, []byte("\uFEFF")) // a byte order mark some editors write
		switch path.Ext(f) {
		case ".md":
			switch s := string(src); {
			case isMarkdownNLU(s):
				items = append(items, im.markdownNLU(fsys, f, s)...)
			case isMarkdownStories(s):
				data = append(data, rasaFile{f, im.markdownStories(f, s)})
			}
			continue
		case ".json":
			more, err := im.jsonNLU(fsys, f, src)
			if err != nil {
				return nil, err
			}
			items = append(items, more...)
			continue
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			return nil, fmt.Errorf("importer: %s: %w", f, err)
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			continue
		}
		d := rasaFile{f, doc.Content[0]}
		data = append(data, d)
		items = append(items, yamlNLU(d)...)
	}
	// The domain and the NLU data first: stories and rules name them.
	for _, d := range data {
		im.domain(d)
	}
	im.nlu(items)
	for _, s := range im.synonyms {
		im.synonym(s)
	}
	if im.domainFile == "" {
		im.domainFile = "domain.yml" // named in notes of what a domain would hold
	}
	if len(im.intents) == 0 {
		return nil, errors.New("importer: no NLU training data (nlu: in YAML, ## intent: sections in Markdown, rasa_nlu_data in JSON): not a Rasa project")
	}
	im.flushRepeated()
	im.formParameters()
	for _, d := range data {
		for _, key := range []string{"rules", "stories"} {
			for _, v := range values(d.root, key) {
				for _, st := range v.Content {
					im.story(d.name, key, st)
				}
			}
		}
	}
	im.triggerActions()
	im.afterActions()
	im.fold()
	res := im.result()
	res.fit(im.domainFile)
	return res, nil
}

type rasaFile struct {
	name string
	root *yaml.Node
}

type rasaIntent struct {
	name   string
	file   string
	says   []string
	params []string // entities annotated in its examples
}

type rasaForm struct {
	file  string
	slots []string
	// mappings by slot, for a 2.x domain; a 3.x domain maps in slots.
	mappings map[string]*yaml.Node
}

// A rasaNode is an interaction being built from stories and rules.
type rasaNode struct {
	name     string
	intent   string
	parent   *rasaNode
	children []*rasaNode
	actions  []string
	from     string          // the story or rule that gave it its actions
	params   map[string]bool // the interaction's parameters, once known
}

type rasaImport struct {
	r          *Result
	lang       string
	timeout    string
	intents    map[string]*rasaIntent
	order      []string // intents in file order
	utter      map[string][]*yaml.Node
	utterFile  map[string]string     // the file of each response
	triggers   map[string]*yaml.Node // 1.x: the action an intent triggers, by intent
	fallback   []string              // the actions a rule gives nlu_fallback
	slots      map[string]*yaml.Node
	forms      map[string]*rasaForm
	entities   map[string]*dictionary
	entOrder   []string
	actions    map[string]bool // custom actions of the domain
	roots      []*rasaNode
	after      []rasaAfter
	attrs      []string
	synonyms   []nluItem
	synonymOf  map[string]string  // lower-case word -> the value a synonym maps it to
	repeated   map[string]*repeat // notes of one kind in one file, by file and kind
	hooks      map[string]bool
	domainFile string
}

// A rasaAfter is a rule that starts with an action: its intent and the
// actions that answer it continue whatever interaction ended with after.
type rasaAfter struct {
	file, rule, after, intent string
	actions                   []string
}

// values returns the values of key in the mapping n: all of them, since
// Rasa's files may repeat a key.
func values(n *yaml.Node, key string) []*yaml.Node {
	var out []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			out = append(out, n.Content[i+1])
		}
	}
	return out
}

func value(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	if v := values(n, key); len(v) > 0 {
		return v[len(v)-1]
	}
	return nil
}

func scalar(n *yaml.Node, key string) string {
	if v := value(n, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

func (im *rasaImport) noteAt(file string, n *yaml.Node, format string, args ...any) {
	im.r.note(fmt.Sprintf("%s:%d", file, n.Line), format, args...)
}

// domain reads what a domain file holds.
func (im *rasaImport) domain(d rasaFile) {
	if value(d.root, "intents") != nil || im.domainFile == "" && value(d.root, "responses") != nil {
		im.domainFile = d.name
	}
	if l := scalar(d.root, "language"); l != "" {
		im.lang = im.r.language(d.name, l)
	}
	for _, key := range []string{"pipeline", "policies"} {
		if v := value(d.root, key); v != nil {
			im.noteAt(d.name, v, "%s: Parley matches with its own model; Rasa's %s are not imported", key, key)
		}
	}
	for _, key := range []string{"responses", "templates"} {
		for _, v := range values(d.root, key) {
			for i := 0; i+1 < len(v.Content); i += 2 {
				im.utter[v.Content[i].Value] = v.Content[i+1].Content
				im.utterFile[v.Content[i].Value] = d.name
			}
		}
	}
	for _, v := range values(d.root, "intents") {
		for _, it := range v.Content {
			if it.Kind == yaml.MappingNode && len(it.Content) == 2 {
				if t := value(it.Content[1], "triggers"); t != nil && t.Kind == yaml.ScalarNode && t.Value != "" {
					im.triggers[it.Content[0].Value] = t
				}
			}
		}
	}
	for _, v := range values(d.root, "slots") {
		for i := 0; i+1 < len(v.Content); i += 2 {
			im.slots[v.Content[i].Value] = v.Content[i+1]
		}
	}
	for _, v := range values(d.root, "actions") {
		for _, a := range v.Content {
			im.actions[a.Value] = true
		}
	}
	for _, v := range values(d.root, "forms") {
		if v.Kind == yaml.SequenceNode { // 1.x: a list of FormActions, written in Python
			for _, f := range v.Content {
				im.noteAt(d.name, f, "form %s: a Rasa 1.x form is a Python FormAction, whose slots the domain does not list: its action becomes a webhook", f.Value)
			}
			continue
		}
		for i := 0; i+1 < len(v.Content); i += 2 {
			f := &rasaForm{file: d.name, mappings: map[string]*yaml.Node{}}
			def := v.Content[i+1]
			if req := value(def, "required_slots"); req != nil {
				for _, s := range req.Content {
					if s.Kind == yaml.ScalarNode {
						f.slots = append(f.slots, s.Value)
					}
				}
				if req.Kind == yaml.MappingNode { // 2.x: required_slots: {slot: mappings}
					f.slots = nil
					for j := 0; j+1 < len(req.Content); j += 2 {
						f.slots = append(f.slots, req.Content[j].Value)
						f.mappings[req.Content[j].Value] = req.Content[j+1]
					}
				}
			} else if def.Kind == yaml.MappingNode { // 2.0: {slot: mappings}
				for j := 0; j+1 < len(def.Content); j += 2 {
					f.slots = append(f.slots, def.Content[j].Value)
					f.mappings[def.Content[j].Value] = def.Content[j+1]
				}
			}
			im.forms[v.Content[i].Value] = f
		}
	}
	if sc := value(d.root, "session_config"); sc != nil {
		if min, err := strconv.Atoi(scalar(sc, "session_expiration_time")); err == nil && min > 0 {
			im.timeout = fmt.Sprintf("%dm", min)
		}
		if scalar(sc, "carry_over_slots_to_new_session") == "true" {
			im.noteAt(d.name, sc, "carry_over_slots_to_new_session: session attributes end with the session")
		}
	}
	if v := value(d.root, "entities"); v != nil {
		for _, e := range v.Content {
			if e.Kind == yaml.MappingNode {
				im.noteAt(d.name, e, "entity roles and groups are not imported")
			}
		}
	}
}

// annotation finds Rasa's entity annotations in an example:
// [text](entity), [text](entity:value), [text]{"entity": ...} and
// [text][{"entity": ...}, ...], Rasa 3's list of entities on one text.
var annotation = regexp.MustCompile(`\[([^\]]+)\](?:\(([^)]+)\)|\{([^}]*)\}|\[([^\]]*)\])`)

// nlu maps the training data: synonyms first, since Rasa maps an
// annotated text that is a synonym to the synonym's value, then the
// intents and lookup tables.
func (im *rasaImport) nlu(items []nluItem) {
	for _, it := range items {
		if it.kind != "synonym" {
			continue
		}
		im.synonyms = append(im.synonyms, it)
		for _, ex := range it.examples {
			k := strings.ToLower(strings.TrimSpace(ex.text))
			if prev, ok := im.synonymOf[k]; ok && prev != it.name {
				im.noteLine(it.file, ex.line, "synonym %s: %q is already a synonym of %q: the first is kept", it.name, ex.text, prev)
				continue
			}
			im.synonymOf[k] = it.name
		}
	}
	regexes := map[string]bool{}
	for _, it := range items {
		switch it.kind {
		case "intent":
			in := im.intents[it.name]
			if in == nil {
				in = &rasaIntent{name: it.name, file: it.file}
				im.intents[it.name] = in
				im.order = append(im.order, it.name)
			}
			for _, ex := range it.examples {
				if s := im.example(it.file, ex.line, in, ex.text); s != "" {
					if im.r.fits(it.file, s) {
						in.says = append(in.says, s)
					}
				}
			}
		case "lookup":
			dict := im.dictionary(ident(it.name))
			for _, ex := range it.examples {
				for _, c := range dict.add(ex.text) {
					im.noteLine(it.file, ex.line, "lookup %s: %s is left out", it.name, c)
				}
			}
		case "regex":
			if !regexes[it.name] {
				regexes[it.name] = true
				im.noteLine(it.file, it.line, "regex %s: regular expressions are not imported (a parameter of entity %s takes only the values annotated or listed)", it.name, it.name)
			}
		}
	}
}

// synonym maps words to an entity value; Rasa does not say which
// entity, so the value joins every dictionary that already has it, or
// waits in a dictionary of its own, joined when an annotation names it.
func (im *rasaImport) synonym(it nluItem) {
	var words []string
	for _, ex := range it.examples {
		if im.synonymOf[strings.ToLower(strings.TrimSpace(ex.text))] == it.name {
			words = append(words, ex.text)
		}
	}
	found := false
	for _, name := range im.entOrder {
		d := im.entities[name]
		if _, ok := d.index[it.name]; ok {
			found = true
			for _, c := range d.add(it.name, words...) {
				im.noteLine(it.file, it.line, "synonym %s: %s is left out", it.name, c)
			}
		}
	}
	if !found {
		im.noteLine(it.file, it.line, "synonym %s: no annotated entity has the value %q: not imported", it.name, it.name)
	}
}

func (im *rasaImport) dictionary(entity string) *dictionary {
	d := im.entities[entity]
	if d == nil {
		d = newDictionary(entity)
		im.entities[entity] = d
		im.entOrder = append(im.entOrder, entity)
	}
	return d
}

// example turns one example into a training phrase with marks, and adds
// the annotated words to their entities.
func (im *rasaImport) example(file string, line int, in *rasaIntent, ex string) string {
	if !story.HasWords(annotation.ReplaceAllString(ex, "$1")) {
		im.noteLine(file, line, "example %q of intent %s has no word, number or symbol: Parley cannot train on it: left out", ex, in.name)
		return ""
	}
	var b strings.Builder
	at := 0
	for _, m := range annotation.FindAllStringSubmatchIndex(ex, -1) {
		b.WriteString(botfile.Escape(ex[at:m[0]]))
		at = m[1]
		text := ex[m[2]:m[3]]
		if strings.TrimSpace(text) == "" {
			b.WriteString(botfile.Escape(ex[m[0]:m[1]]))
			continue
		}
		var entity, val string
		if m[4] >= 0 {
			entity, val, _ = strings.Cut(ex[m[4]:m[5]], ":")
		} else {
			type attrs struct {
				Entity string `json:"entity"`
				Value  any    `json:"value"`
				Role   string `json:"role"`
				Group  string `json:"group"`
			}
			var list []attrs
			var err error
			if m[6] >= 0 {
				list = make([]attrs, 1)
				err = json.Unmarshal([]byte("{"+ex[m[6]:m[7]]+"}"), &list[0])
			} else {
				err = json.Unmarshal([]byte("["+ex[m[8]:m[9]]+"]"), &list)
			}
			if err != nil || len(list) == 0 || list[0].Entity == "" {
				im.noteRepeated(file, "not understood", line, "annotation %q is not understood (Rasa writes [text](entity) or [text]{\"entity\": \"name\"}): its text is kept, unmarked", ex[m[0]:m[1]])
				b.WriteString(botfile.Escape(text))
				continue
			}
			if len(list) > 1 {
				im.noteLine(file, line, "annotation %q: only the first of its entities, %s, is imported", ex[m[0]:m[1]], list[0].Entity)
			}
			a := list[0]
			if a.Role != "" || a.Group != "" {
				im.noteRepeated(file, "roles", line, "annotation %q: roles and groups are not imported: the text fills parameter %s", ex[m[0]:m[1]], ident(strings.TrimSpace(a.Entity)))
			}
			entity = a.Entity
			if a.Value != nil {
				val = fmt.Sprint(a.Value)
			}
		}
		param := ident(strings.TrimSpace(entity))
		if val == "" {
			val = text
			if v, ok := im.synonymOf[strings.ToLower(strings.TrimSpace(text))]; ok {
				val = v // Rasa maps the text to the synonym's value
			}
		}
		if systemEntities[param] == "" {
			syn := []string{}
			if !strings.EqualFold(strings.TrimSpace(val), strings.TrimSpace(text)) {
				syn = append(syn, text)
			}
			for _, c := range im.dictionary(param).add(val, syn...) {
				im.noteLine(file, line, "entity %s: %s is left out", param, c)
			}
		}
		if !slices.Contains(in.params, param) {
			in.params = append(in.params, param)
		}
		b.WriteString(botfile.Mark(text, param))
	}
	b.WriteString(botfile.Escape(ex[at:]))
	return strings.TrimSpace(b.String())
}

// formParameters checks that every form slot can be filled.
func (im *rasaImport) formParameters() {
	for _, name := range sortedKeys(im.forms) {
		f := im.forms[name]
		if len(f.slots) == 0 {
			im.r.note(f.file, "form %s has no required slots", name)
		}
	}
}

// slotEntity returns the entity a form slot is filled from, by its first
// mapping that Parley can follow, noting the others.
func (im *rasaImport) slotEntity(form *rasaForm, slot string) string {
	maps := form.mappings[slot]
	if maps == nil {
		maps = value(im.slots[slot], "mappings")
	}
	entity := ""
	if maps != nil {
		for _, m := range maps.Content {
			kind := scalar(m, "type")
			switch {
			case entity == "" && kind == "from_entity":
				e := ident(scalar(m, "entity"))
				switch {
				case im.entities[e] != nil && len(im.entities[e].entity.Values) > 0:
					entity = e
				case systemEntities[e] != "":
					entity = systemEntities[e]
				default:
					entity = "sys.any"
					im.noteAt(form.file, m, "slot %s: entity %s has no annotated values: the slot takes any text", slot, e)
				}
			case entity == "" && kind == "from_text":
				entity = "sys.any"
			default:
				im.noteAt(form.file, m, "slot %s: the mapping %s is not imported", slot, kind)
			}
			if intent := value(m, "intent"); intent != nil && kind == "from_entity" {
				im.noteAt(form.file, m, "slot %s: the mapping's intent condition is not imported", slot)
			}
		}
	}
	if entity == "" {
		entity = "sys.any"
	}
	return entity
}

// step returns the kind and the value of a story step.
func step(n *yaml.Node) (string, *yaml.Node) {
	if n.Kind == yaml.ScalarNode {
		return n.Value, n // "..."
	}
	for _, k := range []string{"intent", "action", "active_loop", "slot_was_set", "checkpoint", "or", "user", "bot"} {
		if v := value(n, k); v != nil {
			return k, v
		}
	}
	if len(n.Content) > 0 {
		return n.Content[0].Value, n
	}
	return "", n
}

// story maps one rule or story.
func (im *rasaImport) story(file, kind string, st *yaml.Node) {
	title := scalar(st, "rule")
	if title == "" {
		title = scalar(st, "story")
	}
	where := fmt.Sprintf("%s %q", map[string]string{"rules": "rule", "stories": "story"}[kind], title)
	for _, k := range []string{"condition", "conversation_start", "wait_for_user_input"} {
		if v := value(st, k); v != nil {
			im.noteAt(file, v, "%s: %s is not imported", where, k)
		}
	}
	steps := value(st, "steps")
	if steps == nil {
		return
	}
	// A retrieval intent ("chitchat") stands for each of its intents
	// ("chitchat/ask_name"), answered by its own response
	// ("utter_chitchat/ask_name") where the story says utter_chitchat
	// (respond_chitchat in Rasa 1.x).
	if group, subs := im.retrieval(steps); group != "" {
		for _, sub := range subs {
			im.steps(file, where, steps, group, sub)
		}
		return
	}
	im.steps(file, where, steps, "", "")
}

// retrieval returns the first retrieval intent a story's steps name and
// its intents, or "".
func (im *rasaImport) retrieval(steps *yaml.Node) (string, []string) {
	for _, s := range steps.Content {
		k, v := step(s)
		if k != "intent" || im.intents[v.Value] != nil {
			continue
		}
		var subs []string
		for _, name := range im.order {
			if strings.HasPrefix(name, v.Value+"/") {
				subs = append(subs, name)
			}
		}
		if len(subs) > 0 {
			return v.Value, subs
		}
	}
	return "", nil
}

// steps maps the steps of a rule or story, the retrieval intent group
// read as its intent sub.
func (im *rasaImport) steps(file, where string, steps *yaml.Node, group, sub string) {
	stepValue := func(k string, v *yaml.Node) string {
		switch {
		case group == "":
		case k == "intent" && v.Value == group:
			return sub
		case k == "action" && (v.Value == "utter_"+group || v.Value == "respond_"+group):
			return "utter_" + sub
		}
		return v.Value
	}
	// actionsFrom returns the actions that lead rest, up to its first
	// other step.
	actionsFrom := func(rest []*yaml.Node) []string {
		var actions []string
		for _, r := range rest {
			k, v := step(r)
			if k != "action" {
				break
			}
			actions = append(actions, stepValue(k, v))
		}
		return actions
	}
	var cur *rasaNode // the interaction the last intent reached
	var after string  // a rule's leading action
	var pending []string
	formActive := ""
	flush := func() {
		if cur != nil && len(pending) > 0 {
			im.setActions(file, where, cur, pending)
		}
		pending = nil
	}
	for i, s := range steps.Content {
		k, v := step(s)
		val := stepValue(k, v)
		switch k {
		case "...":
			flush()
			cur = nil
		case "intent":
			if formActive != "" {
				im.noteAt(file, s, "%s: the steps from intent %s, while form %s asks its questions, are not imported", where, val, formActive)
				flush()
				return
			}
			flush()
			if val == "nlu_fallback" && cur == nil && im.intents[val] == nil {
				// Rasa's FallbackClassifier predicts it for a message
				// no intent matches: the actions are the fallback's.
				actions := actionsFrom(steps.Content[i+1:])
				if len(actions) > 0 && im.fallback == nil {
					im.fallback = actions
				}
				return
			}
			if im.intents[val] == nil {
				im.noteAt(file, s, "%s: intent %s has no examples: the rest is not imported", where, val)
				return
			}
			if value(s, "entities") != nil {
				im.noteAt(file, s, "%s: the entities of intent %s are not imported", where, val)
			}
			if cur == nil && after != "" {
				actions := actionsFrom(steps.Content[i+1:])
				im.after = append(im.after, rasaAfter{file: file, rule: where, after: after, intent: val, actions: actions})
				return
			}
			cur = im.node(cur, val)
		case "action":
			if cur == nil {
				if after == "" && i == 0 || after == "" && i == 1 && steps.Content[0].Value == "..." {
					after = val
					continue
				}
				im.noteAt(file, s, "%s: action %s before any intent is not imported", where, val)
				continue
			}
			pending = append(pending, val)
		case "active_loop":
			if v.Kind == yaml.ScalarNode && v.Tag != "!!null" && v.Value != "null" {
				formActive = val
			} else {
				formActive = ""
			}
		case "slot_was_set":
			// What the form or the actions set: the parameters say it.
		default:
			im.noteAt(file, s, "%s: %s steps are not imported; the steps from here on are left out", where, k)
			flush()
			return
		}
	}
	flush()
}

// node returns the interaction for intent after cur (a root when cur is
// nil), making it if need be.
func (im *rasaImport) node(cur *rasaNode, intent string) *rasaNode {
	list := &im.roots
	if cur != nil {
		list = &cur.children
	}
	for _, n := range *list {
		if n.intent == intent {
			return n
		}
	}
	n := &rasaNode{intent: intent, parent: cur}
	*list = append(*list, n)
	return n
}

// setActions gives an interaction its actions, unless another story or
// rule gave it different ones first.
func (im *rasaImport) setActions(file, where string, n *rasaNode, actions []string) {
	if n.actions == nil {
		n.actions, n.from = actions, where
		return
	}
	if !slices.Equal(n.actions, actions) {
		im.r.note(file, "%s: after intent %s it does %s, but %s does %s: the first is imported",
			where, n.intent, strings.Join(actions, ", "), n.from, strings.Join(n.actions, ", "))
	}
}

// triggerActions gives an intent that triggers an action (a Rasa 1.x
// domain's "- greet: {triggers: utter_greet}") that action as its
// response, where no story or rule gives it one.
func (im *rasaImport) triggerActions() {
	for _, intent := range sortedKeys(im.triggers) {
		t := im.triggers[intent]
		if im.intents[intent] == nil {
			im.noteAt(im.domainFile, t, "intent %s triggers %s but has no examples: not imported", intent, t.Value)
			continue
		}
		im.setActions(im.domainFile, "the domain's triggers", im.node(nil, intent), []string{t.Value})
	}
}

// afterActions gives the interactions that end with a rule's leading
// action that rule's follow-up.
func (im *rasaImport) afterActions() {
	for _, a := range im.after {
		// Find the interactions first: the follow-ups added may end with
		// the same action.
		var ends []*rasaNode
		var walk func(ns []*rasaNode)
		walk = func(ns []*rasaNode) {
			for _, n := range ns {
				if len(n.actions) > 0 && n.actions[len(n.actions)-1] == a.after {
					ends = append(ends, n)
				}
				walk(n.children)
			}
		}
		walk(im.roots)
		if len(ends) == 0 {
			im.r.note(a.file, "%s: no interaction ends with %s: not imported", a.rule, a.after)
		}
		for _, n := range ends {
			im.setActions(a.file, a.rule, im.node(n, a.intent), a.actions)
		}
	}
}

// fold drops a follow-up that does what the root interaction of its
// intent does, which answers in its place (roots are reachable from any
// context), and gives that root the follow-up's own follow-ups.
func (im *rasaImport) fold() {
	rootOf := map[string]*rasaNode{}
	for _, n := range im.roots {
		rootOf[n.intent] = n
	}
	var walk func(n *rasaNode, path []*rasaNode)
	walk = func(n *rasaNode, path []*rasaNode) {
		path = append(path, n)
		var kept []*rasaNode
		var folded []*rasaNode
		for _, c := range n.children {
			if r := rootOf[c.intent]; r != nil && !slices.Contains(path, r) && slices.Equal(r.actions, c.actions) {
				folded = append(folded, c)
				continue
			}
			kept = append(kept, c)
		}
		n.children = kept
		for _, c := range folded {
			im.merge(rootOf[c.intent], c, 0)
		}
		for _, c := range n.children {
			walk(c, path)
		}
	}
	for _, n := range im.roots {
		walk(n, nil)
	}
}

// merge gives into the follow-ups of from, to the depth that stories
// can reach.
func (im *rasaImport) merge(into, from *rasaNode, depth int) {
	if into == from || depth > maxDepth {
		return
	}
	for _, c := range slices.Clone(from.children) {
		t := im.node(into, c.intent)
		if c.actions != nil {
			im.setActions("stories", c.from, t, c.actions)
		}
		im.merge(t, c, depth+1)
	}
}

// maxDepth bounds the follow-ups of follow-ups that merge follows.
const maxDepth = 64

// result writes the bot file.
func (im *rasaImport) result() *Result {
	f := im.r.File
	f.Settings = &botfile.Settings{Language: im.lang, SessionTimeout: im.timeout}
	if f.Settings.Language == "" {
		f.Settings.Language = "en"
		im.r.note("config.yml", "no language: the bot speaks english, as Rasa assumes (give settings.language)")
	}
	taken := map[string]bool{}
	var out []botfile.Interaction
	welcome := botfile.Interaction{Name: uniqueName("Welcome", taken), Role: "start"}
	im.r.note("stories", "a Rasa bot waits for the user: the welcome says nothing")
	out = append(out, welcome)
	fallback := botfile.Interaction{Name: uniqueName("Fallback", taken), Role: "else"}
	if im.fallback != nil {
		fallback.Responses = im.responses(&rasaNode{name: fallback.Name}, im.fallback)
	} else if _, ok := im.utter["utter_default"]; ok {
		fallback.Responses = im.responses(&rasaNode{name: fallback.Name}, []string{"utter_default"})
	}
	if len(fallback.Responses) == 0 {
		fallback.Responses = []botfile.Response{{Text: []string{"Sorry, I did not get that."}}}
		im.r.note(im.domainFile, "no utter_default (nor a rule for nlu_fallback): the fallback says \"Sorry, I did not get that.\"")
	}
	out = append(out, fallback)
	// Roots: an interaction per intent that some story or rule starts
	// with, or that none follows up.
	followed := map[string]bool{}
	var mark func(ns []*rasaNode)
	mark = func(ns []*rasaNode) {
		for _, n := range ns {
			for _, c := range n.children {
				followed[c.intent] = true
			}
			mark(n.children)
		}
	}
	mark(im.roots)
	rootOf := map[string]*rasaNode{}
	for _, n := range im.roots {
		rootOf[n.intent] = n
	}
	silent := map[string][]string{} // file -> intents in no story or rule
	var silentFiles []string
	for _, name := range im.order {
		if rootOf[name] == nil && !followed[name] {
			n := &rasaNode{intent: name}
			im.roots = append(im.roots, n)
			rootOf[name] = n
			f := im.intents[name].file
			if silent[f] == nil {
				silentFiles = append(silentFiles, f)
			}
			silent[f] = append(silent[f], name)
		}
	}
	for _, f := range silentFiles {
		if names := silent[f]; len(names) == 1 {
			im.r.note(f, "intent %s is in no story or rule: its interaction answers nothing", names[0])
		} else {
			im.r.note(f, "intents %s (%d) are in no story or rule: their interactions answer nothing", strings.Join(names, ", "), len(names))
		}
	}
	var emit func(n *rasaNode)
	emit = func(n *rasaNode) {
		base := name(n.intent)
		if n.parent != nil {
			base = name(n.parent.name + " > " + n.intent)
		}
		n.name = uniqueName(base, taken)
		out = append(out, im.interaction(n))
		for _, c := range n.children {
			emit(c)
		}
	}
	for _, n := range im.roots {
		emit(n)
	}
	f.Stories = []botfile.Story{{Name: "Rasa bot", Interactions: out}}
	for _, name := range im.entOrder {
		if d := im.entities[name]; len(d.entity.Values) > 0 {
			f.Entities = append(f.Entities, d.entity)
		}
	}
	f.Attributes = im.attrs
	// Buttons go to interactions by intent name: resolve them now that
	// every interaction has its name.
	for si := range f.Stories {
		for ii := range f.Stories[si].Interactions {
			for ri := range f.Stories[si].Interactions[ii].Responses {
				if qr := f.Stories[si].Interactions[ii].Responses[ri].QuickReplies; qr != nil {
					for bi := range qr.Buttons {
						if intent, ok := strings.CutPrefix(qr.Buttons[bi].Goto, "\x00"); ok {
							qr.Buttons[bi].Goto = rootOf[intent].name
						}
					}
				}
			}
		}
	}
	return im.r
}

// interaction writes one interaction: the intent's phrases, the form's
// slots and the annotated entities as parameters, and the actions as
// responses.
func (im *rasaImport) interaction(n *rasaNode) botfile.Interaction {
	in := im.intents[n.intent]
	fi := botfile.Interaction{Name: n.name}
	if n.parent != nil {
		fi.Parent = n.parent.name
	}
	params := map[string]bool{}
	for _, a := range n.actions {
		f := im.forms[a]
		if f == nil {
			continue
		}
		for _, slot := range f.slots {
			prompts := im.texts(n, "utter_ask_"+a+"_"+slot)
			if prompts == nil {
				prompts = im.texts(n, "utter_ask_"+slot)
			}
			if prompts == nil {
				prompts = []string{"What is the " + slot + "?"}
				im.r.note(f.file, "slot %s of form %s has no utter_ask_%s: it asks %q", slot, a, slot, prompts[0])
			}
			fi.Parameters = append(fi.Parameters, botfile.Parameter{Name: ident(slot), Entity: im.slotEntity(f, slot), Required: true, Prompts: prompts})
			params[ident(slot)] = true
		}
	}
	// A mark names a parameter: the form slot filled from the entity, or
	// a parameter named after the entity.
	says := slices.Clone(in.says)
	for _, e := range in.params {
		p := e
		for _, fp := range fi.Parameters {
			if fp.Entity == e || fp.Entity == systemEntities[e] {
				p = fp.Name
				break
			}
		}
		if p != e {
			for i := range says {
				says[i] = strings.ReplaceAll(says[i], "]("+e+")", "]("+p+")")
			}
			continue
		}
		ent := e
		if s := systemEntities[e]; s != "" {
			ent = s
		} else if d := im.entities[e]; d == nil || len(d.entity.Values) == 0 {
			ent = "sys.any"
		}
		if ent == "sys.any" || slices.ContainsFunc(fi.Parameters, func(fp botfile.Parameter) bool { return fp.Name == e && fp.Entity == "sys.any" }) {
			// A parameter that takes any text is not marked: any message
			// would hold a value of it.
			for i := range says {
				says[i] = unmark(says[i], e)
			}
			continue
		}
		if params[e] {
			continue
		}
		params[e] = true
		fi.Parameters = append(fi.Parameters, botfile.Parameter{Name: e, Entity: ent})
	}
	fi.Says = botfile.Phrases{List: says}
	n.params = map[string]bool{}
	for _, p := range fi.Parameters {
		n.params[p.Name] = true
	}
	fi.Responses = im.responses(n, n.actions)
	return fi
}

// texts returns the text variants of a response, or nil.
func (im *rasaImport) texts(n *rasaNode, utter string) []string {
	var out []string
	for _, v := range im.utter[utter] {
		if t := strings.TrimSpace(scalar(v, "text")); t != "" {
			out = append(out, cut(im.template(n, t), story.MaxTextLen))
		}
	}
	return out[:min(len(out), story.MaxPrompts)]
}

var slotRef = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_-]*)\}`)

// template turns Rasa's {slot} into {{slot}}. A slot that is no
// parameter of the interaction or its parents is declared as an
// attribute, which the host sets.
func (im *rasaImport) template(n *rasaNode, s string) string {
	s = literal(s)
	return slotRef.ReplaceAllStringFunc(s, func(m string) string {
		slot := m[1 : len(m)-1]
		if im.slots[slot] == nil {
			return m
		}
		if !im.isParameter(n, ident(slot)) && !slices.Contains(im.attrs, ident(slot)) {
			im.attrs = append(im.attrs, ident(slot))
			im.r.note(im.domainFile, "slot %s is read where no form fills it: declared as an attribute the host sets", slot)
		}
		return "{{" + ident(slot) + "}}"
	})
}

// isParameter reports whether n or one of its parents has a parameter of
// that name.
func (im *rasaImport) isParameter(n *rasaNode, name string) bool {
	for ; n != nil; n = n.parent {
		if n.params[name] {
			return true
		}
	}
	return false
}

// responses maps actions to responses.
func (im *rasaImport) responses(n *rasaNode, actions []string) []botfile.Response {
	var out []botfile.Response
	for _, a := range actions {
		switch {
		case im.forms[a] != nil:
			// Its slots are the interaction's parameters.
		case im.utter[a] != nil:
			out = append(out, im.utterance(n, a)...)
		case a == "action_restart" || a == "action_deactivate_loop" || a == "action_deactivate_form":
			out = append(out, botfile.Response{Reset: true})
		case a == "action_listen" || a == "action_session_start":
		case strings.HasPrefix(a, "utter_"):
			im.r.note(im.domainFile, "response %s is not in the domain: left out", a)
		default:
			out = append(out, botfile.Response{Webhook: ident(a)})
			if !im.hooks[a] {
				im.hooks[a] = true
				im.r.note(im.domainFile, "custom action %s: a webhook, whose URL goes under settings webhooks (or parley serve -webhook %s=URL)", a, ident(a))
			}
		}
	}
	return out
}

// utterance maps one utter_ response: text variants, or the first
// variant's text with its buttons as quick replies and its image.
func (im *rasaImport) utterance(n *rasaNode, name string) []botfile.Response {
	vs := im.utter[name]
	simple := true
	for _, v := range vs {
		if v.Kind != yaml.MappingNode || len(v.Content) != 2 || strings.TrimSpace(scalar(v, "text")) == "" {
			simple = false
		}
	}
	if simple && len(vs) > 0 {
		return []botfile.Response{{Text: im.texts(n, name)}}
	}
	if len(vs) == 0 {
		im.r.note(im.utterFile[name], "response %s has no variants: left out", name)
		return nil
	}
	if len(vs) > 1 {
		im.noteAt(im.utterFile[name], vs[1], "response %s: only its first variant is imported", name)
	}
	v := vs[0]
	var out []botfile.Response
	text := cut(im.template(n, strings.TrimSpace(scalar(v, "text"))), story.MaxTextLen)
	if b := value(v, "buttons"); b != nil && len(b.Content) > 0 && text != "" {
		qr := &botfile.Titled{Title: cut(text, story.MaxQuickRepliesTitleLen)}
		for _, bn := range b.Content[:min(len(b.Content), story.MaxQuickReplies)] {
			btn := botfile.Button{Title: cut(strings.TrimSpace(scalar(bn, "title")), story.MaxButtonTitleLen)}
			payload := strings.TrimSpace(scalar(bn, "payload"))
			if btn.Title == "" {
				im.noteAt(im.utterFile[name], bn, "response %s: a button without a title is left out", name)
				continue
			}
			intent, rest, _ := strings.Cut(strings.TrimPrefix(payload, "/"), "{")
			switch {
			case strings.HasPrefix(payload, "/") && im.intents[intent] != nil:
				btn.Goto = "\x00" + intent // resolved once names are known
				if rest != "" {
					im.noteAt(im.utterFile[name], bn, "button %q: the entities of payload %s are not imported", btn.Title, payload)
				}
			case payload != "":
				btn.Postback = cut(payload, story.MaxQueryLen)
			default:
				btn.Postback = btn.Title
			}
			qr.Buttons = append(qr.Buttons, btn)
		}
		if len(qr.Buttons) > 0 {
			out = append(out, botfile.Response{QuickReplies: qr})
		} else {
			out = append(out, botfile.Response{Text: []string{text}})
		}
	} else if text != "" {
		out = append(out, botfile.Response{Text: []string{text}})
	}
	if img := scalar(v, "image"); img != "" {
		out = append(out, botfile.Response{Image: img})
	}
	for _, k := range []string{"custom", "channel", "condition", "attachment"} {
		if x := value(v, k); x != nil {
			im.noteAt(im.utterFile[name], x, "response %s: %s is not imported", name, k)
		}
	}
	return out
}

// unmark writes the marks of a parameter in a phrase as plain text.
func unmark(phrase, param string) string {
	re := regexp.MustCompile(`\[((?:[^\]\\]|\\.)*)\]\(` + regexp.QuoteMeta(param) + `\)`)
	return re.ReplaceAllString(phrase, "$1")
}
