package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
)

const emailBot = `
stories:
  - name: Desk
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hello!"}]}
      - name: Email
        says: [my email is ann@example.com, you can reach me at bo@example.org]
        parameters: [{name: email, entity: sys.email, required: true, prompts: ["Your email?"]}]
        responses: [{set: {user: {default_email: "{{email}}"}}}, {text: "Thanks."}]
      - {name: Fallback, role: else, says: [play a song], responses: [{text: "Sorry?"}]}
`

// codeEnv is an engine on emailBot whose code sender records the codes,
// or fails while fail is set, with one manual clock for engine and store.
type codeEnv struct {
	e     *engine.Engine
	db    *badgerstore.DB
	clk   *autoClock
	mu    sync.Mutex
	codes []engine.Code
	fail  bool
}

func newCodeEnv(t *testing.T) *codeEnv {
	t.Helper()
	c := &codeEnv{clk: &autoClock{t: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)}}
	c.db = openMemory(t, badgerstore.WithClock(c.clk.Now))
	send := func(_ context.Context, code engine.Code) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.fail {
			return errors.New("mail server down")
		}
		c.codes = append(c.codes, code)
		return nil
	}
	var err error
	c.e, err = engine.New(c.db, loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(emailBot)}}),
		engine.WithSeed(1), engine.WithClock(c.clk.Now), engine.WithCodeSender(send))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// last returns the last code sent.
func (c *codeEnv) last(t *testing.T) engine.Code {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.codes) == 0 {
		t.Fatal("no code sent")
	}
	return c.codes[len(c.codes)-1]
}

// wrong returns a code other than right.
func wrong(right string) string {
	if right == "000000" {
		return "111111"
	}
	return "000000"
}

func (c *codeEnv) send(t *testing.T, thread, text string) engine.Sent {
	t.Helper()
	sent, err := c.e.Send(context.Background(), engine.Message{ThreadID: thread, Text: text})
	if err != nil {
		t.Fatalf("Send(%q): %v", text, err)
	}
	return sent
}

// newUserThread starts a thread of a user whose email is known.
func (c *codeEnv) newUserThread(t *testing.T, email string) store.Thread {
	t.Helper()
	th, err := c.e.CreateThread(context.Background(), engine.NewThread{UserEmail: email})
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func (c *codeEnv) user(t *testing.T, th store.Thread) *store.User {
	t.Helper()
	th, err := c.e.Thread(context.Background(), th.ID)
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.e.ThreadUser(context.Background(), th)
	if err != nil || u == nil {
		t.Fatalf("ThreadUser: %v, %v", u, err)
	}
	return u
}

// TestEmailVerified: a user gives an email, is sent a code, enters a
// wrong one (ENTERED_WRONG_OTP), then the right one (EMAIL_VERIFIED), and
// is verified until their email changes.
func TestEmailVerified(t *testing.T) {
	c := newCodeEnv(t)
	th := c.newUserThread(t, "first@example.com")
	sent := c.send(t, th.ID, "you can reach me at bo@example.org")
	if got := types(sent.Messages); got != "USER_MESSAGE(you can reach me at bo@example.org) NORMAL_MESSAGE(Thanks.) SYSTEM_MESSAGE:PROVIDED_EMAIL(bo@example.org)" {
		t.Errorf("giving an email: got %s", got)
	}
	code := c.last(t)
	if code.Email != "bo@example.org" || len(code.Code) != engine.CodeDigits || code.ThreadID != th.ID ||
		!code.ExpiresAt.Equal(c.clk.Now().Add(engine.CodeLifetime)) {
		t.Errorf("code sent: got %+v", code)
	}
	sent = c.send(t, th.ID, wrong(code.Code))
	if got := types(sent.Messages); got != "USER_MESSAGE("+wrong(code.Code)+") SYSTEM_MESSAGE:ENTERED_WRONG_OTP(wrong code, 2 attempts left)" {
		t.Errorf("a wrong code: got %s", got)
	}
	if sent.Response.Result.Source != engine.SourceVerification {
		t.Errorf("source: got %q", sent.Response.Result.Source)
	}
	if u := c.user(t, th); u.Verified() {
		t.Errorf("verified after a wrong code: %+v", u)
	}
	// Another message meanwhile is a message; the code is still awaited.
	if sent = c.send(t, th.ID, "play a song"); types(sent.Messages) != "USER_MESSAGE(play a song) NORMAL_MESSAGE(Sorry?)" {
		t.Errorf("a message while a code is awaited: got %s", types(sent.Messages))
	}
	sent = c.send(t, th.ID, " "+code.Code+" ")
	if got := types(sent.Messages); got != "USER_MESSAGE( "+code.Code+" ) SYSTEM_MESSAGE:EMAIL_VERIFIED(bo@example.org)" {
		t.Errorf("the right code: got %s", got)
	}
	u := c.user(t, th)
	if !u.Verified() || u.VerifiedEmail != "bo@example.org" {
		t.Errorf("after the right code: got %+v", u)
	}
	// The code is spent.
	if sent = c.send(t, th.ID, code.Code); types(sent.Messages) != "USER_MESSAGE("+code.Code+") NORMAL_MESSAGE(Sorry?)" {
		t.Errorf("the code again: got %s", types(sent.Messages))
	}
	// A new address is not verified.
	if u, err := c.e.UpdateUser(context.Background(), u.ID, map[string]string{store.AttrEmail: "new@example.org"}); err != nil || u.Verified() {
		t.Errorf("after a new address: got %+v, %v", u, err)
	}
}

// TestEnteredWrongOTP: wrong codes end the verification after
// MaxCodeAttempts; a code entered too late has expired.
func TestEnteredWrongOTP(t *testing.T) {
	c := newCodeEnv(t)
	th := c.newUserThread(t, "first@example.com")
	c.send(t, th.ID, "you can reach me at bo@example.org")
	code := c.last(t)
	want := []string{"wrong code, 2 attempts left", "wrong code, 1 attempt left", "wrong code, no attempts left"}
	for i := range engine.MaxCodeAttempts {
		sent := c.send(t, th.ID, wrong(code.Code))
		if got := types(sent.Messages[1:]); got != "SYSTEM_MESSAGE:ENTERED_WRONG_OTP("+want[i]+")" {
			t.Errorf("wrong code %d: got %s", i+1, got)
		}
	}
	// No code is awaited now: the right one is only a message.
	if sent := c.send(t, th.ID, code.Code); types(sent.Messages[1:]) != "NORMAL_MESSAGE(Sorry?)" {
		t.Errorf("the right code after the attempts: got %s", types(sent.Messages))
	}
	if c.user(t, th).Verified() {
		t.Error("verified after the attempts ran out")
	}

	// A new code, entered after it expired.
	if err := c.e.SendCode(context.Background(), th.ID); err != nil {
		t.Fatal(err)
	}
	code = c.last(t)
	if code.Email != "bo@example.org" {
		t.Errorf("SendCode: got %+v", code)
	}
	c.clk.Advance(engine.CodeLifetime)
	if sent := c.send(t, th.ID, code.Code); types(sent.Messages[1:]) != "SYSTEM_MESSAGE:ENTERED_WRONG_OTP(the code has expired)" {
		t.Errorf("an expired code: got %s", types(sent.Messages))
	}
	if c.user(t, th).Verified() {
		t.Error("verified by an expired code")
	}
	// SendCode again, then the right code in time.
	if err := c.e.SendCode(context.Background(), th.ID); err != nil {
		t.Fatal(err)
	}
	c.clk.Advance(engine.CodeLifetime - time.Second)
	if sent := c.send(t, th.ID, c.last(t).Code); types(sent.Messages[1:]) != "SYSTEM_MESSAGE:EMAIL_VERIFIED(bo@example.org)" {
		t.Errorf("a resent code: got %s", types(sent.Messages))
	}
	if !c.user(t, th).Verified() {
		t.Error("not verified by a resent code")
	}
}

// TestCodeSenderFails: a sender that fails is an upstream problem, and no
// code is awaited.
func TestCodeSenderFails(t *testing.T) {
	c := newCodeEnv(t)
	c.fail = true
	th := c.newUserThread(t, "first@example.com")
	sent := c.send(t, th.ID, "you can reach me at bo@example.org")
	if got := types(sent.Messages[2:]); got != "SYSTEM_MESSAGE:PROVIDED_EMAIL(bo@example.org) SYSTEM_MESSAGE:PROBLEMS_WITH_UPSTREAM_PROVIDER" {
		t.Errorf("a failing sender: got %s", got)
	}
	if sent = c.send(t, th.ID, "123456"); types(sent.Messages[1:]) != "NORMAL_MESSAGE(Sorry?)" {
		t.Errorf("a code when none is awaited: got %s", types(sent.Messages))
	}
	err := c.e.SendCode(context.Background(), th.ID)
	if !errors.Is(err, engine.ErrCodeNotSent) {
		t.Errorf("SendCode with a failing sender: got %v, want ErrCodeNotSent", err)
	}
	msgs, _ := c.e.Messages(context.Background(), th.ID, 0, 100)
	if got := types(msgs[len(msgs)-1:]); got != "SYSTEM_MESSAGE:PROBLEMS_WITH_UPSTREAM_PROVIDER" {
		t.Errorf("after SendCode failed: got %s", got)
	}

	// Without a sender, or a user with an email, there is nothing to do.
	e, _, _ := newThreadEngine(t)
	if err := e.SendCode(context.Background(), th.ID); !errors.Is(err, engine.ErrNoCodeSender) {
		t.Errorf("SendCode without a sender: got %v", err)
	}
	anon, err := c.e.CreateThread(context.Background(), engine.NewThread{})
	if err != nil {
		t.Fatal(err)
	}
	var fe *store.FieldError
	if err := c.e.SendCode(context.Background(), anon.ID); !errors.As(err, &fe) || fe.Field != "threadId" {
		t.Errorf("SendCode for a thread without a user: got %v", err)
	}
	if _, err := engine.New(c.db, loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(emailBot)}}), engine.WithCodeSender(nil)); err == nil {
		t.Error("WithCodeSender(nil): no error")
	}
}
