package engine

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

var fulfillmentCases = map[string][]Fulfillment{
	"Nil":   nil,
	"Empty": {},
	"Text":  {{Type: TypeText, Message: "One large latte, coming up."}},
	"Rich": {
		{Type: TypeText, Delay: 1500, Message: "Pick one <b>now</b> & \"quickly\"\n\t\\ \u2028\u2029 \x01 \x7f é 😀"},
		{Type: TypeQuickReplies, Title: "Size?", Buttons: []Button{{Type: ButtonPostback, Title: "Small", Value: "small"}, {Type: ButtonGoto, Title: "", Value: ""}}},
		{Type: TypeCarousel, Cards: []Fulfillment{{Type: TypeCard, Title: "Latte", Subtitle: "milk", Image: "https://example.com/a.png?x=1&y=2", Buttons: []Button{{Type: ButtonURL, Title: "Go", Value: "https://example.com"}}}}},
		{Type: "webhook", Data: map[string]string{"z": "1", "a": "2", "name": "order\x00"}},
	},
	"InvalidUTF8": {{Type: TypeText, Message: "bad \xff\xfe utf8 \xe2\x82 end"}},
}

// checkEncoding fails t unless appendFulfillments writes what json.Marshal
// writes for fs.
func checkEncoding(t testing.TB, fs []Fulfillment) {
	t.Helper()
	want, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	if got := appendFulfillments(nil, fs); !bytes.Equal(got, want) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestAppendFulfillments checks that the hand-written encoder writes what
// json.Marshal writes.
func TestAppendFulfillments(t *testing.T) {
	for name, fs := range fulfillmentCases {
		t.Run(name, func(t *testing.T) {
			checkEncoding(t, fs)
		})
	}
}

// TestAppendFulfillmentsEveryField sets every field of a Fulfillment, of
// its buttons and of its cards, found by reflection, so that a field added
// to them and not to the encoder fails here instead of going unstored.
func TestAppendFulfillmentsEveryField(t *testing.T) {
	var f Fulfillment
	fill(t, reflect.ValueOf(&f).Elem(), 1)
	checkEncoding(t, []Fulfillment{f})
}

// fill sets every field of the struct v to a value that is not zero,
// cards nested depth deep.
func fill(t *testing.T, v reflect.Value, depth int) {
	t.Helper()
	for i := range v.NumField() {
		fv, name := v.Field(i), v.Type().Field(i).Name
		switch {
		case fv.Kind() == reflect.String:
			fv.SetString(name + " <&> é")
		case fv.Kind() == reflect.Int:
			fv.SetInt(int64(100 + i))
		case fv.Kind() == reflect.Map && fv.Type().Key().Kind() == reflect.String && fv.Type().Elem().Kind() == reflect.String:
			fv.Set(reflect.ValueOf(map[string]string{name + "2": "b", name + "1": "a"}))
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Struct:
			if fv.Type().Elem() == v.Type() && depth == 0 {
				continue // the cards of the innermost card
			}
			s := reflect.MakeSlice(fv.Type(), 2, 2)
			for j := range 2 {
				fill(t, s.Index(j), depth-1)
			}
			fv.Set(s)
		default:
			t.Fatalf("%s.%s: a %s, which this test does not know how to fill: teach it, and appendFulfillment", v.Type(), name, fv.Type())
		}
	}
}

func FuzzAppendFulfillments(f *testing.F) {
	f.Add("text", 0, "hello", "title", "k", "v")
	f.Add("card", 250, "<&>\u2028", "\xff", "\x00", "é")
	f.Fuzz(func(t *testing.T, typ string, delay int, msg, title, k, v string) {
		checkEncoding(t, []Fulfillment{{Type: typ, Delay: delay, Message: msg, Title: title,
			Buttons: []Button{{Type: k, Title: v, Value: msg}}, Data: map[string]string{k: v, v: k},
			Cards: []Fulfillment{{Type: v, Subtitle: msg, Image: title}}}})
	})
}

// BenchmarkAppendFulfillments compares the encoder with json.Marshal on a
// quick-replies answer.
func BenchmarkAppendFulfillments(b *testing.B) {
	fs := fulfillmentCases["Rich"][:2]
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			appendFulfillments(make([]byte, 0, fulfillmentsSize(fs)), fs)
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			json.Marshal(fs)
		}
	})
}
