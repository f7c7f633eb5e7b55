package httpadapter_test

import (
	"bytes"
	"flag"
	"fmt"
	"html/template"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

var update = flag.Bool("update", false, "rewrite api.html from openapi.yaml")

// TestAPIPage checks that api.html, the page GET /docs serves, is
// openapi.yaml rendered; go test -update rewrites it after a change.
func TestAPIPage(t *testing.T) {
	specRouter(t) // loads and validates specDoc
	var b bytes.Buffer
	if err := apiPage.Execute(&b, pageOf(specDoc)); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("api.html", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("api.html")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Errorf("api.html is not openapi.yaml rendered: run go test ./httpadapter -run TestAPIPage -update")
	}
}

type page struct {
	Title, Description string
	Operations         []operation
	Schemas            []schema
}

type operation struct {
	Method, Path, Summary, Description string
	Params                             []field
	Body                               string // the request body's schema name
	Responses                          []field
}

type schema struct {
	Name, Description string
	Fields            []field
}

type field struct {
	Name, Type, Description string
	Required                bool
}

func pageOf(doc *openapi3.T) page {
	p := page{Title: doc.Info.Title, Description: doc.Info.Description}
	for _, path := range slices.Sorted(func(yield func(string) bool) {
		for k := range doc.Paths.Map() {
			if !yield(k) {
				return
			}
		}
	}) {
		item := doc.Paths.Value(path)
		for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			o := operation{Method: m, Path: path, Summary: op.Summary, Description: op.Description}
			for _, pr := range append(slices.Clone(item.Parameters), op.Parameters...) {
				v := pr.Value
				o.Params = append(o.Params, field{Name: v.Name + " (" + v.In + ")", Type: typeOf(v.Schema), Description: v.Description, Required: v.Required})
			}
			if rb := op.RequestBody; rb != nil && rb.Value != nil {
				if mt := rb.Value.Content.Get("application/json"); mt != nil {
					o.Body = refName(mt.Schema)
				}
			}
			for _, code := range slices.Sorted(func(yield func(string) bool) {
				for k := range op.Responses.Map() {
					if !yield(k) {
						return
					}
				}
			}) {
				r := op.Responses.Value(code)
				desc := ""
				if r.Value != nil && r.Value.Description != nil {
					desc = *r.Value.Description
				}
				typ := ""
				if r.Value != nil {
					if mt := r.Value.Content.Get("application/json"); mt != nil {
						typ = typeOf(mt.Schema)
					}
				}
				o.Responses = append(o.Responses, field{Name: code, Type: typ, Description: desc})
			}
			p.Operations = append(p.Operations, o)
		}
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range doc.Components.Schemas {
			if !yield(k) {
				return
			}
		}
	}) {
		s := doc.Components.Schemas[name].Value
		sc := schema{Name: name, Description: s.Description}
		for _, f := range slices.Sorted(func(yield func(string) bool) {
			for k := range s.Properties {
				if !yield(k) {
					return
				}
			}
		}) {
			pv := s.Properties[f]
			desc := ""
			if pv.Value != nil {
				desc = pv.Value.Description
			}
			sc.Fields = append(sc.Fields, field{Name: f, Type: typeOf(pv), Description: desc, Required: slices.Contains(s.Required, f)})
		}
		if len(sc.Fields) == 0 {
			sc.Fields = append(sc.Fields, field{Name: "(value)", Type: typeOf(doc.Components.Schemas[name])})
		}
		p.Schemas = append(p.Schemas, sc)
	}
	return p
}

func refName(r *openapi3.SchemaRef) string {
	if r == nil {
		return ""
	}
	if i := strings.LastIndex(r.Ref, "/"); i >= 0 {
		return r.Ref[i+1:]
	}
	return ""
}

// typeOf describes a schema in a few words, with its limits.
func typeOf(r *openapi3.SchemaRef) string {
	if r == nil || r.Value == nil {
		return ""
	}
	if n := refName(r); n != "" {
		return n
	}
	s := r.Value
	var parts []string
	switch {
	case len(s.OneOf) > 0:
		var alts []string
		for _, a := range s.OneOf {
			alts = append(alts, typeOf(a))
		}
		return strings.Join(alts, " or ")
	case s.Type != nil && s.Type.Is("array"):
		parts = append(parts, "array of "+typeOf(s.Items))
	case s.Type != nil && len(s.Type.Slice()) > 0:
		parts = append(parts, s.Type.Slice()[0])
	default:
		parts = append(parts, "object")
	}
	if len(s.Enum) > 0 {
		var vals []string
		for _, v := range s.Enum {
			vals = append(vals, fmt.Sprint(v))
		}
		parts = append(parts, "one of "+strings.Join(vals, ", "))
	}
	if s.Min != nil || s.Max != nil {
		parts = append(parts, fmt.Sprintf("%v to %v", limitOf(s.Min), limitOf(s.Max)))
	}
	if s.MinLength > 0 || s.MaxLength != nil {
		parts = append(parts, fmt.Sprintf("%d to %v characters", s.MinLength, deref64(s.MaxLength)))
	}
	if s.Pattern != "" {
		parts = append(parts, "matching "+s.Pattern)
	}
	if s.Nullable {
		parts = append(parts, "or null")
	}
	return strings.Join(parts, ", ")
}

func limitOf(p *float64) string {
	if p == nil {
		return "any"
	}
	return fmt.Sprint(*p)
}

func deref64(p *uint64) string {
	if p == nil {
		return "any"
	}
	return fmt.Sprint(*p)
}

var apiPage = template.Must(template.New("api").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
h3 { margin-bottom: .3rem; }
code, .m { font-family: ui-monospace, monospace; }
.m { font-weight: bold; color: #fff; background: #357; padding: 0 .4rem; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
td, th { text-align: left; vertical-align: top; border-bottom: 1px solid #eee; padding: .2rem .5rem .2rem 0; }
th { font-weight: 600; }
.d { white-space: pre-wrap; }
</style>
</head>
<body>
<!-- Generated from openapi.yaml by TestAPIPage; do not edit. -->
<h1>{{.Title}}</h1>
<p class="d">{{.Description}}</p>
<p>The same, for tools: <a href="openapi.yaml">openapi.yaml</a>.</p>
<h2>Routes</h2>
<ul>{{range .Operations}}
<li><a href="#{{.Method}}{{.Path}}"><code>{{.Method}} {{.Path}}</code></a> {{.Summary}}</li>{{end}}
</ul>
{{range .Operations}}
<h3 id="{{.Method}}{{.Path}}"><span class="m">{{.Method}}</span> <code>{{.Path}}</code> {{.Summary}}</h3>
{{with .Description}}<p class="d">{{.}}</p>{{end}}
{{- with .Params}}
<table><tr><th>parameter</th><th>type</th><th>required</th><th></th></tr>{{range .}}
<tr><td><code>{{.Name}}</code></td><td>{{.Type}}</td><td>{{if .Required}}yes{{end}}</td><td class="d">{{.Description}}</td></tr>{{end}}
</table>{{end}}
{{- with .Body}}
<p>Body: <a href="#schema-{{.}}">{{.}}</a></p>{{end}}
<table><tr><th>status</th><th>body</th><th></th></tr>{{range .Responses}}
<tr><td>{{.Name}}</td><td>{{.Type}}</td><td class="d">{{.Description}}</td></tr>{{end}}
</table>
{{end}}
<h2>Schemas</h2>
{{range .Schemas}}
<h3 id="schema-{{.Name}}">{{.Name}}</h3>
{{with .Description}}<p class="d">{{.}}</p>{{end}}
<table><tr><th>field</th><th>type</th><th>required</th><th></th></tr>{{range .Fields}}
<tr><td><code>{{.Name}}</code></td><td>{{.Type}}</td><td>{{if .Required}}yes{{end}}</td><td class="d">{{.Description}}</td></tr>{{end}}
</table>
{{end}}
</body>
</html>
`))
