package httpadapter_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store"
)

// A wsClient is a real WebSocket client on loopback.
type wsClient struct {
	t testing.TB
	c *websocket.Conn
}

// wsReply is a reply frame.
type wsReply struct {
	Channel string `json:"channel"`
	Status  struct {
		Code    int    `json:"code"`
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"status"`
	Data  json.RawMessage `json:"data"`
	Field string          `json:"field"`
}

func dialSocket(t testing.TB, s *testServer) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadLimit(16 << 20)
	t.Cleanup(func() { c.CloseNow() })
	return &wsClient{t: t, c: c}
}

// send sends a frame and returns the next reply.
func (w *wsClient) send(frame string) wsReply {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.c.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		w.t.Fatalf("write %q: %v", frame, err)
	}
	return w.next()
}

func (w *wsClient) next() wsReply {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, b, err := w.c.Read(ctx)
	if err != nil {
		w.t.Fatalf("read: %v", err)
	}
	var r wsReply
	if err := json.Unmarshal(b, &r); err != nil {
		w.t.Fatalf("reply %s: %v", b, err)
	}
	return r
}

// ok sends a frame, checks that it succeeded on channel, and decodes its
// data into v (if not nil).
func (w *wsClient) ok(frame, channel string, v any) {
	w.t.Helper()
	r := w.send(frame)
	if r.Channel != channel || r.Status.Code != 200 || r.Status.Type != "success" {
		w.t.Fatalf("%q: got %s %d %q (field %q), want success on %s", frame, r.Channel, r.Status.Code, r.Status.Message, r.Field, channel)
	}
	if v != nil {
		if err := json.Unmarshal(r.Data, v); err != nil {
			w.t.Fatalf("%q: data %s: %v", frame, r.Data, err)
		}
	}
}

// login logs in with the developer token and picks the default bot.
func (w *wsClient) login() {
	w.t.Helper()
	w.ok("apiLogin "+devToken, "apiLogin", nil)
	w.ok("sitekey undefined "+httpadapter.ChatbotID(httpadapter.DefaultBotName), "sitekey.undefined", nil)
}

func TestUserbotSession(t *testing.T) {
	s := newServer(t, httpadapter.WithOperator("op-7", "Ada Lovelace", "op-key-7"))
	w := dialSocket(t, s)
	for _, c := range []struct {
		frame, channel string
		code           int
	}{
		{"who", "who", 401},
		{"chatusers.get", "chatusers.get", 401},
		{"apiLogin", "apiLogin", 400},
		{"apiLogin wrong-key", "apiLogin", 401},
		{"sitekey undefined x", "sitekey.undefined", 401},
		{"no.such-thing", "no.such-thing", 404},
		{"   ", "error", 400},
	} {
		if r := w.send(c.frame); r.Channel != c.channel || r.Status.Code != c.code || r.Status.Type != "error" || r.Status.Message == "" {
			t.Errorf("%q: got %+v, want error %d on %s", c.frame, r, c.code, c.channel)
		}
	}
	var who struct {
		ID, Name string
	}
	w.ok("apiLogin op-key-7", "apiLogin", &who)
	if who.ID != "op-7" || who.Name != "Ada Lovelace" {
		t.Errorf("apiLogin: got %+v", who)
	}
	var me struct {
		User struct{ ID, Name string }
	}
	w.ok("who", "who", &me)
	if me.User.ID != "op-7" {
		t.Errorf("who: got %+v", me)
	}
	if r := w.send("chatusers.get"); r.Status.Code != 400 || !strings.Contains(r.Status.Message, "sitekey") {
		t.Errorf("before sitekey: got %+v", r)
	}
	if r := w.send("sitekey undefined 123"); r.Status.Code != 404 || r.Field != "chatbotId" {
		t.Errorf("unknown bot: got %+v", r)
	}
	w.ok("sitekey undefined default", "sitekey.undefined", nil) // by name too
	// A binary frame gets an error and the connection stays usable.
	ctx := context.Background()
	w.c.Write(ctx, websocket.MessageBinary, []byte("who"))
	if r := w.next(); r.Channel != "error" || r.Status.Code != 400 {
		t.Errorf("binary frame: got %+v", r)
	}
	w.ok("who", "who", nil)
}

func TestUserbotOperations(t *testing.T) {
	s := newServer(t)
	w := dialSocket(t, s)
	w.login()
	var created struct {
		Users []httpadapter.ChatUser
	}
	w.ok(`chatusers.create [{"userId":"c-1","attributes":{"default_name":"Ann","plan":"gold"},"tags":["vip"]},
		{"userId":"c-2","attributes":{"default_email":"bob@example.com"}},{"userId":"c-3"}]`, "chatusers.create", &created)
	if len(created.Users) != 3 || created.Users[0].UserID != "c-1" || created.Users[0].Tags[0] != "vip" {
		t.Fatalf("created: %+v", created)
	}
	ann, bob, cid := created.Users[0].ID, created.Users[1].ID, created.Users[2].ID

	var page struct {
		Users []httpadapter.ChatUser
		Count int
		Next  string
	}
	w.ok(`chatusers get {"limit":2,"order":"asc"}`, "chatusers.get", &page)
	if page.Count != 2 || page.Users[0].ID != ann || page.Next == "" {
		t.Errorf("first page: %+v", page)
	}
	w.ok(`chatusers.get {"limit":2,"offset":2,"order":"asc"}`, "chatusers.get", &page)
	if page.Count != 1 || page.Users[0].ID != cid {
		t.Errorf("by offset: %+v", page)
	}
	w.ok(`chatusers.add-tag {"tags":["lead"],"users":["`+bob+`","`+cid+`"]}`, "chatusers.add-tag", nil)
	w.ok(`chatusers.remove-tag {"tag":"lead","users":["`+cid+`"]}`, "chatusers.remove-tag", nil)
	var tags struct {
		Tags []struct {
			ID, Name string
			Users    int
		}
	}
	w.ok("chatusers.get-bot-tags", "chatusers.get-bot-tags", &tags)
	if got := fmt.Sprint(tags.Tags); got != fmt.Sprintf("[{%s lead 1} {%s vip 1}]", store.TagID("lead"), store.TagID("vip")) {
		t.Errorf("tags: %s", got)
	}
	w.ok(`chatusers.get {"filters":[{"field":"tag","op":"equals","value":"lead"}]}`, "chatusers.get", &page)
	if page.Count != 1 || page.Users[0].ID != bob {
		t.Errorf("by tag: %+v", page)
	}

	var seg httpadapter.ChatSegment
	w.ok(`chatusers.create-segment {"name":"Gold or lead","filter":{"match":"any","filters":[
		{"field":"attributes.plan","op":"equals","value":"gold"},{"field":"tag","op":"equals","value":"lead"}]}}`, "chatusers.create-segment", &seg)
	if seg.Filter == nil || seg.Filter.Match != "any" || len(seg.Filter.Filters) != 2 {
		t.Errorf("saved segment: %+v", seg)
	}
	var hand httpadapter.ChatSegment
	w.ok(`chatusers.create-segment {"name":"Hand-picked","users":["`+cid+`"]}`, "chatusers.create-segment", &hand)
	var segs struct{ Segments []httpadapter.ChatSegment }
	w.ok("chatusers.get-bot-segments", "chatusers.get-bot-segments", &segs)
	if len(segs.Segments) != 2 || segs.Segments[0].Members != 2 || segs.Segments[1].Members != 1 || segs.Segments[1].Filter != nil {
		t.Errorf("segments: %+v", segs)
	}
	w.ok(`chatusers.get {"segment":"`+seg.ID+`","order":"asc"}`, "chatusers.get", &page)
	if page.Count != 2 || page.Users[0].ID != ann || page.Users[1].ID != bob {
		t.Errorf("members of the saved filter: %+v", page)
	}
	w.ok(`chatusers.edit-segment {"id":"`+seg.ID+`","name":"Gold","filter":{"filters":[{"field":"attributes.plan","op":"equals","value":"gold"}]}}`, "chatusers.edit-segment", nil)
	w.ok("chatusers.get-bot-segments", "chatusers.get-bot-segments", &segs)
	if segs.Segments[0].Name != "Gold" || segs.Segments[0].Members != 1 {
		t.Errorf("edited: %+v", segs.Segments[0])
	}
	var removed struct{ Deleted int }
	w.ok(`chatusers.remove-segment ["`+seg.ID+`","`+hand.ID+`"]`, "chatusers.remove-segment", &removed)
	if removed.Deleted != 2 {
		t.Errorf("remove-segment: %+v", removed)
	}

	var vars struct {
		Variables []struct{ ID, Name, Value string }
	}
	w.ok(`chatusers.get-vars {"userId":"`+ann+`"}`, "chatusers.get-vars", &vars)
	if len(vars.Variables) != 2 || vars.Variables[1].Name != "plan" {
		t.Fatalf("vars: %+v", vars)
	}
	var v struct{ ID, Name, Value string }
	w.ok(`chatusers.set-variable {"userId":"`+ann+`","variable_id":"`+vars.Variables[1].ID+`","value":"platinum"}`, "chatusers.set-variable", &v)
	if v.Name != "plan" || v.Value != "platinum" {
		t.Errorf("set by id: %+v", v)
	}
	w.ok(`chatusers.set-variable {"userId":"`+ann+`","variable":{"name":"city","value":"Oslo"}}`, "chatusers.set-variable", &v)
	var rv struct{ Removed int }
	w.ok(`chatusers.remove-variable {"variable":"city","users":["`+ann+`","`+bob+`"]}`, "chatusers.remove-variable", &rv)
	if rv.Removed != 1 {
		t.Errorf("remove-variable: %+v", rv)
	}
	var bv struct {
		Variables []struct{ ID, Name, Scope string }
	}
	w.ok("bot.get-vars", "bot.get-vars", &bv)
	if len(bv.Variables) == 0 || bv.Variables[0].ID == "" {
		t.Errorf("bot.get-vars: %+v", bv)
	}

	// Feedback comes from the chat; the socket reads it.
	ctx := context.Background()
	for _, score := range []int{10, 6, 8} {
		if _, err := s.eng.AddFeedback(ctx, store.Feedback{UserID: ann, Kind: store.FeedbackNPS, Score: score, Comment: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	var fb struct {
		Feedback []httpadapter.ChatFeedback
		Next     string
	}
	w.ok(`chatusers.get-feedback {"userId":"`+ann+`","limit":2}`, "chatusers.get-feedback", &fb)
	if len(fb.Feedback) != 2 || *fb.Feedback[0].Score != 8 || fb.Next == "" {
		t.Errorf("feedback: %+v", fb)
	}
	today := time.Now().Format(time.DateOnly)
	var nps struct {
		Negative, Neutral, Positive int
		Score                       float64
	}
	w.ok(`rawstats.count-nps {"from":"`+today+`","to":"`+today+`"}`, "rawstats.count-nps", &nps)
	if nps.Negative != 1 || nps.Neutral != 1 || nps.Positive != 1 || nps.Score != 0 {
		t.Errorf("nps: %+v", nps)
	}
	if _, err := s.eng.Chat(ctx, engine.Request{SessionID: "session-ws-1", UserID: "c-1", Query: "coffee please"}); err != nil {
		t.Fatal(err)
	}
	var all struct {
		Days []httpadapter.DayStats
	}
	w.ok(`rawstats.all {"from":"`+today+`","to":"`+today+`"}`, "rawstats.all", &all)
	if len(all.Days) != 1 || all.Days[0].NewUsers != 3 || all.Days[0].ActiveUsers != 1 || all.Days[0].Feedback != 3 || all.Days[0].Tagged != 3 {
		t.Errorf("rawstats.all: %+v", all)
	}
	if g := all.Days[0].Goals; len(g) != 1 || g["order"] != 1 {
		t.Errorf("rawstats.all goals: %v", g)
	}
	var goals engine.GoalCounts
	w.ok(`rawstats.get {"from":"`+today+`","to":"`+today+`"}`, "rawstats.get", &goals)
	if goals.From != today || goals.Reached != 1 || len(goals.Goals) != 1 || goals.Goals[0] != (engine.GoalCount{Name: "order", Reached: 1}) {
		t.Errorf("rawstats.get: %+v", goals)
	}
	w.ok(`rawstats.get {"goal":"nothing"}`, "rawstats.get", &goals)
	if len(goals.Goals) != 0 {
		t.Errorf("rawstats.get of an unknown goal: %+v", goals)
	}
	var msgs struct{ Messages int }
	w.ok(`rawstats.count-messages {"from":"`+today+`"}`, "rawstats.count-messages", &msgs)
	var sess struct{ Sessions int }
	w.ok(`rawstats.count-sessions`, "rawstats.count-sessions", &sess)
	if msgs.Messages != 2 || sess.Sessions != 1 {
		t.Errorf("counts: %d messages, %d sessions", msgs.Messages, sess.Sessions)
	}
	var in struct{ New, Active, Returning int }
	w.ok(`chatusers.insights {"from":"`+today+`","to":"`+today+`"}`, "chatusers.insights", &in)
	if in.New != 3 || in.Active != 1 {
		t.Errorf("insights: %+v", in)
	}
	var st struct {
		Users  int
		Totals struct{ Messages int }
	}
	w.ok("bot.stats", "bot.stats", &st)
	if st.Users != 3 || st.Totals.Messages != 2 {
		t.Errorf("bot.stats: %+v", st)
	}

	// An import reports progress on its own channel, then its result.
	var csv strings.Builder
	csv.WriteString("userId,email,plan\n")
	for i := range 2100 {
		fmt.Fprintf(&csv, "imp-%d,imp%d@example.com,free\n", i, i)
	}
	csv.WriteString(",,bad\n")
	payload, _ := json.Marshal(map[string]string{"csv": csv.String()})
	w.c.Write(ctx, websocket.MessageText, append([]byte("chatusers.import "), payload...))
	progress := 0
	for {
		r := w.next()
		if r.Channel == "chatusers.import.progress" {
			progress++
			continue
		}
		var res struct {
			Rows, Created, Failed int
			Errors                []struct {
				Line   int
				Reason string
			}
		}
		if r.Channel != "chatusers.import" || json.Unmarshal(r.Data, &res) != nil {
			t.Fatalf("import reply: %+v", r)
		}
		if res.Rows != 2101 || res.Created != 2100 || res.Failed != 1 || res.Errors[0].Line != 2102 {
			t.Errorf("import: %+v", res)
		}
		break
	}
	if progress < 3 {
		t.Errorf("import progress replies: got %d, want 3 (one per 1,000 rows and the last)", progress)
	}
	var del struct{ Deleted int }
	w.ok(`chatusers.delete {"users":["`+bob+`","`+cid+`"]}`, "chatusers.delete", &del)
	if del.Deleted != 2 {
		t.Errorf("delete: %+v", del)
	}
}

// TestUserbotBadPayloads sends a bad payload to every operation: each gets
// a 400 naming the field, and the connection goes on.
func TestUserbotBadPayloads(t *testing.T) {
	s := newServer(t)
	w := dialSocket(t, s)
	w.login()
	for _, c := range []struct {
		name, frame, field string
	}{
		{"GetLimit", `chatusers.get {"limit":41}`, "limit"},
		{"GetOffset", `chatusers.get {"offset":-1}`, "offset"},
		{"GetUnknownField", `chatusers.get {"limits":1}`, "limits"},
		{"GetBadFilter", `chatusers.get {"filters":[{"field":"tag","op":"contains","value":"x"}]}`, "filters[0].op"},
		{"GetBadTime", `chatusers.get {"filters":[{"field":"lastSeen","op":"after","value":"yesterday"}]}`, "filters[0].value"},
		{"GetMalformed", `chatusers.get {"limit":`, ""},
		{"GetTrailing", `chatusers.get {} {}`, ""},
		{"CreateNoPayload", `chatusers.create`, ""},
		{"CreateNotArray", `chatusers.create {"userId":"x"}`, ""},
		{"CreateBadAttribute", `chatusers.create [{"userId":"x","attributes":{"a b":"c"}}]`, "users[0].attributes"},
		{"DeleteBadID", `chatusers.delete {"users":["nope"]}`, "users"},
		{"DeleteNone", `chatusers.delete {"users":[]}`, "users"},
		{"InsightsBadDate", `chatusers.insights {"from":"March"}`, "from"},
		{"ImportNoCSV", `chatusers.import {}`, "csv"},
		{"ImportBadHeader", `chatusers.import {"csv":"name\nAnn\n"}`, "header"},
		{"FeedbackLimit", `chatusers.get-feedback {"limit":500}`, "limit"},
		{"FeedbackKind", `chatusers.get-feedback {"kind":"stars"}`, "kind"},
		{"SegmentNoName", `chatusers.create-segment {"name":""}`, "name"},
		{"SegmentBadFilter", `chatusers.create-segment {"name":"x","filter":{"filters":[]}}`, "filter.filters"},
		{"SegmentFilterAndUsers", `chatusers.create-segment {"name":"x","filter":{"filters":[{"field":"banned","op":"equals","value":"true"}]},"users":["0123456789abcdef01234567"]}`, "users"},
		{"RemoveSegmentNotArray", `chatusers.remove-segment {"id":"x"}`, ""},
		{"RemoveSegmentBadID", `chatusers.remove-segment ["x"]`, "segments"},
		{"EditSegmentNothing", `chatusers.edit-segment {"id":"0123456789abcdef01234567"}`, "name"},
		{"EditSegmentBadID", `chatusers.edit-segment {"id":"x","name":"y"}`, "id"},
		{"AddTagNone", `chatusers.add-tag {"users":["0123456789abcdef01234567"]}`, "tags"},
		{"AddTagLong", `chatusers.add-tag {"tag":"` + strings.Repeat("t", 65) + `","users":["0123456789abcdef01234567"]}`, "tags"},
		{"RemoveTagNoUsers", `chatusers.remove-tag {"tag":"x"}`, "users"},
		{"GetVarsBadID", `chatusers.get-vars {"userId":"x"}`, "userId"},
		{"SetVariableNeither", `chatusers.set-variable {"userId":"0123456789abcdef01234567"}`, "variable_id"},
		{"SetVariableBoth", `chatusers.set-variable {"userId":"0123456789abcdef01234567","variable_id":"a","variable":{"name":"a","value":"b"}}`, "variable"},
		{"SetVariableBadName", `chatusers.set-variable {"userId":"0123456789abcdef01234567","variable":{"name":"a b","value":"c"}}`, "name"},
		{"RemoveVariableNone", `chatusers.remove-variable {"users":["0123456789abcdef01234567"]}`, "variable"},
		{"NPSBadDate", `rawstats.count-nps {"to":"soon"}`, "to"},
		{"StatsBackwards", `rawstats.all {"from":"2026-03-02","to":"2026-03-01"}`, "to"},
		{"MessagesUnknownField", `rawstats.count-messages {"day":"2026-03-01"}`, "day"},
		{"SessionsTooLong", `rawstats.count-sessions {"from":"2020-01-01","to":"2026-01-01"}`, "to"},
		{"GoalsUnknownField", `rawstats.get {"goals":"x"}`, "goals"},
		{"GoalsBadDate", `rawstats.get {"from":"yesterday"}`, "from"},
		{"BotStatsBad", `bot.stats {"from":1}`, "from"},
		{"BotVarsPayload", `bot.get-vars {"x":1}`, "x"},
		{"TagsPayload", `chatusers.get-bot-tags {"x":1}`, "x"},
		{"SegmentsPayload", `chatusers.get-bot-segments []`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := w.send(c.frame)
			if r.Status.Code != 400 || r.Status.Type != "error" || r.Field != c.field || r.Status.Message == "" {
				t.Errorf("got %d %q on field %q, want 400 on %q", r.Status.Code, r.Status.Message, r.Field, c.field)
			}
		})
	}
	w.ok("who", "who", nil)
}

// BenchmarkUserbotGet measures chatusers.get over a real socket on
// loopback, one request after another: the first page of 20 of 1,000
// users, and pages at offsets 0 to 980.
func BenchmarkUserbotGet(b *testing.B) {
	s := newServer(b)
	users := make([]store.User, 1000)
	for i := range users {
		users[i] = store.User{UserID: fmt.Sprint("u-", i), Attributes: map[string]string{"default_name": fmt.Sprint("User ", i)}}
	}
	if _, err := s.eng.CreateUsers(context.Background(), users); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		offsets int
	}{{"first", 1}, {"offsets", 50}} {
		b.Run(c.name, func(b *testing.B) {
			w := dialSocket(b, s)
			w.login()
			b.ReportAllocs()
			b.ResetTimer()
			t0 := time.Now()
			for i := range b.N {
				r := w.send(fmt.Sprintf(`chatusers.get {"limit":20,"offset":%d}`, 20*(i%c.offsets)))
				if r.Status.Code != 200 {
					b.Fatalf("got %+v", r)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "ops/s")
		})
	}
}

// TestUserbotREST calls Userbot's operations over REST, checked against
// openapi.yaml, and imports a CSV file.
func TestUserbotREST(t *testing.T) {
	s := newServer(t)
	post := func(path, contentType, body string) (int, map[string]any) {
		t.Helper()
		client := s.client
		if strings.HasPrefix(path, "/chatbots/") {
			client = http.DefaultClient // documented once, under /chatbots/{chatbotId}/query
		}
		req, _ := http.NewRequest("POST", s.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+devToken)
		req.Header.Set("Content-Type", contentType)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	code, out := post("/users/import", "text/csv", "\ufeffuserId,email,tags\nc-1,ann@example.com,vip\n,,\nc-2,bob@example.com,vip;lead\n")
	data, _ := out["data"].(map[string]any)
	if code != 200 || data["created"] != 2.0 || data["failed"] != 1.0 {
		t.Fatalf("import: %d %v", code, out)
	}
	code, out = post("/userbot/chatusers.get-bot-tags", "application/json", "")
	if code != 200 || fmt.Sprint(out["data"]) != fmt.Sprintf("map[tags:[map[id:%s name:lead users:1] map[id:%s name:vip users:2]]]", store.TagID("lead"), store.TagID("vip")) {
		t.Errorf("tags: %d %v", code, out)
	}
	code, out = post("/userbot/chatusers.get", "application/json", `{"limit":1,"order":"asc"}`)
	if users, _ := out["data"].(map[string]any)["users"].([]any); code != 200 || len(users) != 1 {
		t.Errorf("chatusers.get: %d %v", code, out)
	}
	code, out = post("/chatbots/"+httpadapter.ChatbotID(httpadapter.DefaultBotName)+"/userbot/rawstats.count-sessions", "application/json", `{}`)
	if code != 200 {
		t.Errorf("per bot: %d %v", code, out)
	}
	for _, c := range []struct {
		name, path, ctype, body string
		code                    int
		field                   string
	}{
		{"BadLimit", "/userbot/chatusers.get", "application/json", `{"limit":0.5}`, 400, "limit"},
		{"Unknown", "/userbot/nothing", "application/json", `{}`, 404, "operation"},
		{"ImportHeader", "/users/import", "text/csv", "name\nAnn\n", 400, "header"},
		{"ImportNotCSV", "/users/import", "application/json", `{}`, 415, "Content-Type"},
		{"ImportInChunks", "/userbot/chatusers.import", "application/json", `{"upload":"u1","chunk":1,"csv":"userId\n"}`, 400, "upload"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(offSpec(context.Background()), "POST", s.URL+c.path, strings.NewReader(c.body))
			req.Header.Set("Authorization", "Bearer "+devToken)
			req.Header.Set("Content-Type", c.ctype)
			resp, err := s.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e httpadapter.ErrorBody
			json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode != c.code || e.Field != c.field {
				t.Errorf("got %d on %q (%q), want %d on %q", resp.StatusCode, e.Field, e.Status.Message, c.code, c.field)
			}
		})
	}
}
