package browsertest

import (
	"encoding/json"
	"testing"
)

// toJSON turns BiDi's serialization of a value into what JSON.stringify
// gives.
func TestRemoteValueJSON(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"String", `{"type":"string","value":"ü\"<"}`, `"ü\"<"`},
		{"Number", `{"type":"number","value":1.5}`, `1.5`},
		{"NaN", `{"type":"number","value":"NaN"}`, `null`},
		{"Infinity", `{"type":"number","value":"-Infinity"}`, `null`},
		{"MinusZero", `{"type":"number","value":"-0"}`, `0`},
		{"Undefined", `{"type":"undefined"}`, `null`},
		{"Node", `{"type":"node","sharedId":"f.1.d.2","value":{"nodeType":1}}`, `{}`},
		{"Array", `{"type":"array","value":[{"type":"boolean","value":true},{"type":"null"},{"type":"undefined"}]}`, `[true,null,null]`},
		{"Object", `{"type":"object","value":[["a",{"type":"number","value":1}],["u",{"type":"undefined"}],["o",{"type":"object","value":[]}]]}`, `{"a":1,"o":{}}`},
		{"MapKey", `{"type":"map","value":[[{"type":"number","value":2},{"type":"string","value":"two"}]]}`, `{"2":"two"}`},
		{"BigInt", `{"type":"bigint","value":"12345678901234567890"}`, `12345678901234567890`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var v remoteValue
			if err := json.Unmarshal([]byte(c.in), &v); err != nil {
				t.Fatal(err)
			}
			got, err := v.toJSON()
			if err != nil || string(got) != c.want {
				t.Errorf("got %s (%v), want %s", got, err, c.want)
			}
		})
	}
}
