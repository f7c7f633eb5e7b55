package story_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr/builtin"
	"github.com/parleybot/parley/story"
)

func TestConditionEval(t *testing.T) {
	env := &story.Env{
		User:     map[string]string{"plan": "premium", "age": "42"},
		Session:  map[string]string{"drink": "latte"},
		Params:   map[string]string{"size": "large"},
		Score:    0.8,
		Message:  "Hello there",
		Failures: 2,
		Time:     time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC), // a Saturday
	}
	tests := []struct {
		name, src string
		want      bool
	}{
		{"UserAttribute", `user.plan == "premium"`, true},
		{"MissingAttributeIsEmpty", `user.nickname == ""`, true},
		{"MissingMapIsEmpty", `session["nope"] == ""`, true},
		{"Session", `session.drink in ["latte", "flat white"]`, true},
		{"Params", `params.size != "small"`, true},
		{"Score", `score >= 0.8`, true},
		{"Message", `lower(message) contains "hello"`, true},
		{"Matches", `message matches "^Hello"`, true},
		{"Failures", `failures > 2`, false},
		{"Time", `hour == 9 && minute == 30 && weekday == "saturday" && day == 21 && month == 11 && year == 2026`, true},
		{"Conversion", `int(user.age) > 18 && float(user.age) < 100.5`, true},
		{"Functions", `len(trim(" ab ")) == 2 && upper("a") == "A" && abs(-1) == 1 && max(1, 2) == 2 && min(1, 2) == 1 && string(1) == "1"`, true},
		{"Ternary", `score > 0.5 ? true : false`, true},
		{"Optional", `(user?.plan ?? "") == "premium"`, true},
		{"Slice", `message[0:5] == "Hello"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := story.CompileCondition(tt.src)
			if err != nil {
				t.Fatalf("CompileCondition(%q): %v", tt.src, err)
			}
			if c.String() != tt.src {
				t.Errorf("String: got %q, want %q", c.String(), tt.src)
			}
			got, err := c.Eval(env)
			if err != nil || got != tt.want {
				t.Errorf("Eval(%q): got %v, %v; want %v, nil", tt.src, got, err, tt.want)
			}
		})
	}
}

func TestConditionEvalError(t *testing.T) {
	c, err := story.CompileCondition(`int(user.age) > 18`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Eval(&story.Env{User: map[string]string{"age": "old"}})
	if err == nil || got {
		t.Errorf("Eval: got %v, %v; want false and an error", got, err)
	}
}

// TestConditionGuard lists what the guard refuses: everything outside the
// documented names and functions.
func TestConditionGuard(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"ErrUnknownName", `env == nil`, `unknown name "env"`},
		{"ErrPredicateAll", `all([1], # > 0)`, "predicates"},
		{"ErrPredicateFilter", `len(filter([1], # > 0)) > 0`, "predicates"},
		{"ErrPredicateMap", `len(map([1], # + 1)) > 0`, "predicates"},
		{"ErrPredicateReduce", `reduce([1], #acc + #, 0) > 0`, "predicates"},
		{"ErrBuiltinNow", `now().Hour() > 0`, "function now is not allowed"},
		{"ErrBuiltinRepeat", `repeat("a", 1000000) == ""`, "function repeat is not allowed"},
		{"ErrBuiltinKeys", `len(keys(user)) > 0`, "function keys is not allowed"},
		{"ErrMethod", `message.Len() > 0`, "method calls are not allowed"},
		{"ErrRange", `len(1..1000000000) > 0`, "ranges (..) are not allowed"},
		{"ErrDynamicPattern", `message matches session.p`, "the pattern of matches must be a string literal"},
		{"ErrLet", `let x = 1; x == 1`, "let and ; are not allowed"},
		{"ErrMap", `{"a": true}.a`, "is not allowed"},
		{"ErrNotBool", `score`, "expected bool"},
		{"ErrEmpty", `  `, "empty condition"},
		{"ErrTooLong", strings.Repeat("x", story.MaxConditionLen+1), "more than 1024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := story.CompileCondition(tt.src)
			if err == nil {
				t.Fatalf("CompileCondition(%q): got %v, want an error containing %q", tt.src, c, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CompileCondition(%q): got %q, want it to contain %q", tt.src, err, tt.want)
			}
		})
	}
}

// TestConditionGuardBuiltins refuses every expr builtin that is not in
// ConditionFunctions, one case each, and compiles each one that is. expr
// itself refuses some builtins once they are disabled but not all (sum and
// count compile), so the guard's allowlist is what holds the rule.
func TestConditionGuardBuiltins(t *testing.T) {
	// Builtins whose calls expr only parses with a predicate.
	predicate := map[string]bool{
		"all": true, "none": true, "any": true, "one": true, "filter": true, "map": true,
		"find": true, "findIndex": true, "findLast": true, "findLastIndex": true,
		"groupBy": true, "sortBy": true, "reduce": true,
	}
	for _, name := range builtin.Names {
		if slices.Contains(story.ConditionFunctions, name) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			src, want := name+"([1, 2]) != nil", "function "+name+" is not allowed"
			if predicate[name] {
				src, want = name+"([1, 2], # > 0) != nil", "predicates"
			}
			c, err := story.CompileCondition(src)
			if err == nil {
				t.Fatalf("CompileCondition(%q): got %v, want an error containing %q", src, c, want)
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("CompileCondition(%q): got %q, want it to contain %q", src, err, want)
			}
		})
	}
	for _, src := range []string{"sum([1, 2]) > 0", "count([true]) > 0"} {
		if c, err := story.CompileCondition(src); err == nil {
			t.Errorf("CompileCondition(%q): got %v, want an error", src, c)
		}
	}
	allowed := map[string]string{
		"len": `len(message) > 0`, "lower": `lower(message) == "a"`, "upper": `upper(message) == "A"`,
		"trim": `trim(message) == ""`, "int": `int("1") == 1`, "float": `float("1.5") > 1`,
		"string": `string(score) != ""`, "abs": `abs(score) >= 0`, "min": `min(score, 1) <= 1`,
		"max": `max(score, 0) >= 0`,
	}
	for _, name := range story.ConditionFunctions {
		src, ok := allowed[name]
		if !ok {
			t.Errorf("no case for the allowed function %s", name)
			continue
		}
		if _, err := story.CompileCondition(src); err != nil {
			t.Errorf("CompileCondition(%q): %v", src, err)
		}
	}
}

func TestTemplate(t *testing.T) {
	values := map[string]string{"name": "Ann", "drink": "latte", "empty": ""}
	lookup := func(n string) (string, bool) { v, ok := values[n]; return v, ok }
	tests := []struct {
		name, src, want string
		names           []string
	}{
		{"Plain", "Hello", "Hello", nil},
		{"Empty", "", "", nil},
		{"Name", "Hi {{name}}!", "Hi Ann!", []string{"name"}},
		{"Spaces", "Hi {{ name }}!", "Hi Ann!", []string{"name"}},
		{"Missing", "Hi {{nick}}!", "Hi !", []string{"nick"}},
		{"Default", "Hi {{nick|friend}}!", "Hi friend!", []string{"nick"}},
		{"DefaultWhenEmpty", "Hi {{empty|friend}}!", "Hi friend!", []string{"empty"}},
		{"DefaultUnused", "Hi {{name|friend}}!", "Hi Ann!", []string{"name"}},
		{"EmptyDefault", "Hi{{nick|}}!", "Hi!", []string{"nick"}},
		{"Many", "{{name}} wants a {{drink}}", "Ann wants a latte", []string{"name", "drink"}},
		{"Braces", "a } b {", "a } b {", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := story.ParseTemplate(tt.src)
			if err != nil {
				t.Fatalf("ParseTemplate(%q): %v", tt.src, err)
			}
			if got := tm.Render(lookup); got != tt.want {
				t.Errorf("Render: got %q, want %q", got, tt.want)
			}
			if got := tm.Names(); strings.Join(got, ",") != strings.Join(tt.names, ",") {
				t.Errorf("Names: got %q, want %q", got, tt.names)
			}
			if tm.String() != tt.src {
				t.Errorf("String: got %q, want %q", tm.String(), tt.src)
			}
		})
	}
	for _, src := range []string{"Hi {{name", "Hi {{}}", "Hi {{first name}}", "{{a.b}}"} {
		if _, err := story.ParseTemplate(src); err == nil {
			t.Errorf("ParseTemplate(%q): got no error", src)
		}
	}
	var nilT *story.Template
	if got := nilT.Render(lookup); got != "" {
		t.Errorf("nil Template renders %q, want \"\"", got)
	}
}

func BenchmarkConditionEval(b *testing.B) {
	c, err := story.CompileCondition(`user.plan == "premium" && hour >= 9 && lower(message) contains "help"`)
	if err != nil {
		b.Fatal(err)
	}
	env := &story.Env{User: map[string]string{"plan": "premium"}, Message: "I need HELP", Time: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := c.Eval(env); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkTemplateRender(b *testing.B) {
	tm, err := story.ParseTemplate("One {{size}} {{drink}} with {{milk}} and {{sugar|no sugar}}. Shall I start brewing?")
	if err != nil {
		b.Fatal(err)
	}
	values := map[string]string{"size": "large", "drink": "latte", "milk": "oat milk"}
	lookup := func(n string) (string, bool) { v, ok := values[n]; return v, ok }
	b.ReportAllocs()
	for b.Loop() {
		_ = tm.Render(lookup)
	}
}
