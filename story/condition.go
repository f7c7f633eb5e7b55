package story

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// A Condition is a compiled expr-lang expression that yields a bool: an
// interaction's condition or a response's filter. It is compiled when the
// bot loads and is immutable and safe for concurrent use.
//
// A condition sees only the names of [Env] (user, session, params, score,
// message, failures, hour, minute, weekday, day, month, year) and only the
// functions listed in [ConditionFunctions]; see the package documentation
// for the language.
type Condition struct {
	src  string
	prog *vm.Program
}

// Env is what a condition sees, filled by the engine for each evaluation.
// Inside a condition the fields have lowercase names: user, session,
// params, score, message, failures; Time is seen through hour, minute,
// weekday ("monday" ... "sunday"), day, month and year, in Time's location.
// A missing attribute or parameter reads as "".
type Env struct {
	User     map[string]string // user attributes ("user.default_name")
	Session  map[string]string // session attributes ("session.drink")
	Params   map[string]string // parameters of the interaction, by name ("params.size")
	Score    float64           // the match score of the interaction, 0 to 1
	Message  string            // the user's message
	Failures int               // fallbacks in a row in this session
	Time     time.Time         // the time of the message
}

// exprEnv is the typed environment conditions are compiled against. It has
// no methods, so a condition can call none.
type exprEnv struct {
	User     map[string]string `expr:"user"`
	Session  map[string]string `expr:"session"`
	Params   map[string]string `expr:"params"`
	Score    float64           `expr:"score"`
	Message  string            `expr:"message"`
	Failures int               `expr:"failures"`
	Hour     int               `expr:"hour"`
	Minute   int               `expr:"minute"`
	Weekday  string            `expr:"weekday"`
	Day      int               `expr:"day"`
	Month    int               `expr:"month"`
	Year     int               `expr:"year"`
}

var envNames = map[string]bool{
	"user": true, "session": true, "params": true, "score": true, "message": true,
	"failures": true, "hour": true, "minute": true, "weekday": true, "day": true,
	"month": true, "year": true,
}

// ConditionFunctions are the only functions a condition may call: expr's
// builtins of these names. All other builtins (including all, filter, map
// and reduce) are refused when the bot loads.
var ConditionFunctions = []string{"len", "lower", "upper", "trim", "int", "float", "string", "abs", "min", "max"}

// guardedOptions are expr's options for a condition over env: a bool,
// within the node limit, calling only ConditionFunctions.
func guardedOptions(env any) []expr.Option {
	opts := []expr.Option{
		expr.Env(env),
		expr.AsBool(),
		expr.DisableAllBuiltins(),
		expr.MaxNodes(MaxConditionNodes),
	}
	for _, f := range ConditionFunctions {
		opts = append(opts, expr.EnableBuiltin(f))
	}
	return opts
}

// compileGuarded compiles src as a bool over env behind the guard g (the
// names it allows): within the length and node limits, only the names,
// operators and functions allowed, checked in the source and again in the
// compiled (optimized) tree, in case the optimizer introduced a node the
// source did not have; it may only have folded constants.
func compileGuarded(src string, env any, g guard) (*vm.Program, *parser.Tree, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil, errors.New("empty condition")
	}
	if n := len([]rune(src)); n > MaxConditionLen {
		return nil, nil, fmt.Errorf("condition is %d characters long, more than %d", n, MaxConditionLen)
	}
	opts := guardedOptions(env)
	cfg := conf.CreateNew()
	for _, o := range opts {
		o(cfg)
	}
	tree, err := parser.ParseWithConfig(src, cfg)
	if err != nil {
		return nil, nil, err
	}
	source := g
	ast.Walk(&tree.Node, &source)
	if source.err != nil {
		e := &file.Error{Location: source.loc, Message: source.err.Error()}
		return nil, nil, e.Bind(tree.Source)
	}
	prog, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, nil, err
	}
	compiled := g
	compiled.compiled = true
	root := prog.Node()
	ast.Walk(&root, &compiled)
	if compiled.err != nil {
		e := &file.Error{Location: compiled.loc, Message: "compiled condition: " + compiled.err.Error()}
		return nil, nil, e.Bind(tree.Source)
	}
	return prog, tree, nil
}

// CompileCondition compiles a condition: parse, check that it uses only
// the names, operators and functions allowed, type-check it against [Env]
// as a bool, compile it, and check the compiled (optimized) tree again.
// Load calls it for every condition and filter; the engine may call it for
// conditions from elsewhere.
func CompileCondition(src string) (*Condition, error) {
	prog, _, err := compileGuarded(src, exprEnv{}, guard{})
	if err != nil {
		return nil, err
	}
	return &Condition{src: src, prog: prog}, nil
}

// String returns the condition's source.
func (c *Condition) String() string {
	if c == nil {
		return ""
	}
	return c.src
}

// Eval evaluates the condition. An error (such as int("abc")) means the
// condition cannot be decided; the engine treats it as false.
func (c *Condition) Eval(env *Env) (bool, error) {
	e := exprEnv{
		User: env.User, Session: env.Session, Params: env.Params,
		Score: env.Score, Message: env.Message, Failures: env.Failures,
		Hour: env.Time.Hour(), Minute: env.Time.Minute(),
		Weekday: weekdays[env.Time.Weekday()],
		Day:     env.Time.Day(), Month: int(env.Time.Month()), Year: env.Time.Year(),
	}
	out, err := expr.Run(c.prog, e)
	if err != nil {
		return false, fmt.Errorf("condition %q: %w", c.src, err)
	}
	b, _ := out.(bool)
	return b, nil
}

var weekdays = [...]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// guard walks a parsed condition and records the first node outside the
// allowlist. ast.Walk visits children before their parent, so an unknown
// name is a weak error that the parent's (a call, a let) replaces.
type guard struct {
	names    map[string]bool // the environment's names; envNames if nil
	known    string          // the names, for the error message
	err      error
	loc      file.Location
	weak     bool
	compiled bool // walking the optimized tree, where constants appear
}

func (g *guard) Visit(node *ast.Node) {
	if g.err != nil && !g.weak {
		return
	}
	prev := g.err
	g.err = nil
	g.check(*node)
	switch {
	case g.err != nil:
		g.loc, g.weak = (*node).Location(), false
		if _, ok := (*node).(*ast.IdentifierNode); ok {
			g.weak = true
		}
	default:
		g.err = prev
	}
}

func (g *guard) check(node ast.Node) {
	switch n := node.(type) {
	case *ast.ConstantNode:
		if !g.compiled {
			g.err = errors.New("constants are not allowed")
		}
	case *ast.NilNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.StringNode,
		*ast.ChainNode, *ast.SliceNode, *ast.ConditionalNode, *ast.ArrayNode:
	case *ast.IdentifierNode:
		names, known := g.names, g.known
		if names == nil {
			names, known = envNames, "user, session, params, score, message, failures, hour, minute, weekday, day, month, year"
		}
		if !names[n.Value] {
			g.err = fmt.Errorf("unknown name %q; known names: %s", n.Value, known)
		}
	case *ast.UnaryNode:
		switch n.Operator {
		case "!", "not", "-", "+":
		default:
			g.err = fmt.Errorf("operator %q is not allowed", n.Operator)
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "..":
			g.err = errors.New("ranges (..) are not allowed")
		case "matches":
			_, literal := n.Right.(*ast.StringNode)
			if _, folded := n.Right.(*ast.ConstantNode); folded && g.compiled {
				literal = true
			}
			if !literal {
				g.err = errors.New("the pattern of matches must be a string literal")
			}
		}
	case *ast.MemberNode:
		if n.Method {
			g.err = errors.New("method calls are not allowed")
		}
	case *ast.BuiltinNode:
		if !allowedFunction(n.Name) {
			g.err = fmt.Errorf("function %s is not allowed; allowed: %s", n.Name, strings.Join(ConditionFunctions, ", "))
		}
	case *ast.CallNode:
		switch c := n.Callee.(type) {
		case *ast.IdentifierNode:
			g.err = fmt.Errorf("function %s is not allowed; allowed: %s", c.Value, strings.Join(ConditionFunctions, ", "))
		default:
			g.err = errors.New("method calls are not allowed")
		}
	case *ast.PredicateNode, *ast.PointerNode:
		g.err = errors.New("predicates (all, filter, map, ...) are not allowed")
	case *ast.VariableDeclaratorNode, *ast.SequenceNode:
		g.err = errors.New("let and ; are not allowed")
	default:
		g.err = fmt.Errorf("%T is not allowed", n)
	}
}

func allowedFunction(name string) bool {
	for _, f := range ConditionFunctions {
		if f == name {
			return true
		}
	}
	return false
}
