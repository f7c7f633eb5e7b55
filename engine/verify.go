package engine

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleybot/parley/store"
)

// Email verification, as SiteGPT's widget does it: once a user gives an
// email address in a conversation (PROVIDED_EMAIL), an engine with a
// CodeSender sends a one-time code to it, and the user enters the code in
// the same thread. The right code records EMAIL_VERIFIED and makes the
// address the user's verified one; a wrong or expired code records
// ENTERED_WRONG_OTP. The session keeps only a hash of the code.

// Verification limits.
const (
	// CodeDigits is the length of a one-time code: a message of that many
	// digits (spaces around them aside), while a code is awaited, is an
	// attempt to enter it; any other message is a message.
	CodeDigits = 6
	// CodeLifetime is how long a code is accepted after it was sent.
	CodeLifetime = 10 * time.Minute
	// MaxCodeAttempts is how many wrong codes end a verification: after
	// them, the code is no longer accepted, and the user needs a new one.
	MaxCodeAttempts = 3
)

// A Code is a one-time code for a CodeSender to send.
type Code struct {
	// Email is the address to send the code to.
	Email string
	// Code is the code, CodeDigits digits.
	Code string
	// ExpiresAt is when the code stops being accepted.
	ExpiresAt time.Time
	// ThreadID is the thread where the user enters the code, as API
	// clients know it (store.Thread.PublicID); SessionID its session;
	// UserID the user's store id.
	ThreadID, SessionID, UserID string
}

// A CodeSender sends a one-time code to an email address, by mail or any
// way the host chooses. It is called like a hand-off hook: inside the turn
// in which the user gave the address, at most once per Chat call, so a
// slow sender delays that conversation only. An error or a panic means no
// code was sent: the thread records PROBLEMS_WITH_UPSTREAM_PROVIDER, no
// code is awaited, and the error is logged.
type CodeSender func(ctx context.Context, c Code) error

// WithCodeSender turns on email verification: a user who gives an email
// address in a conversation is sent a one-time code through send, to
// enter in the conversation. Without it, addresses are taken as given and
// no user is verified.
func WithCodeSender(send CodeSender) Option {
	return func(c *config) error {
		if send == nil {
			return errors.New("engine: WithCodeSender: nil function")
		}
		c.codes = send
		return nil
	}
}

// VerifiesEmail reports whether the engine verifies email addresses (it
// has a CodeSender), so that a chat page knows to offer a field for the
// code once a user gave an address.
func (e *Engine) VerifiesEmail() bool { return e.codes != nil }

// CodeRequest is the JSON body HTTPCodeSender posts.
type CodeRequest struct {
	Event     string `json:"event"` // "VERIFICATION_CODE"
	Email     string `json:"email"`
	Code      string `json:"code"`
	ExpiresAt string `json:"expiresAt"` // RFC 3339, UTC
	ThreadID  string `json:"threadId"`
	SessionID string `json:"sessionId"`
	UserID    string `json:"userId"`
}

// HTTPCodeSender returns a CodeSender that posts each code as a
// CodeRequest to rawURL (http or https), for a service that mails it. With
// a token, each call carries it in X-WEBHOOK-TOKEN and the signature of
// the body under it in X-Webhook-Signature (see Sign). Any status but 2xx,
// or no answer within timeout (0 means DefaultWebhookTimeout), is a
// failure (an error wrapping ErrWebhookFailed). client nil means a client
// of its own.
func HTTPCodeSender(rawURL, token string, timeout time.Duration, client *http.Client) (CodeSender, error) {
	p, err := newPoster(rawURL, token, "parley-verification", timeout, client)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, c Code) error {
		body, err := json.Marshal(CodeRequest{Event: "VERIFICATION_CODE", Email: c.Email, Code: c.Code,
			ExpiresAt: c.ExpiresAt.UTC().Format(time.RFC3339), ThreadID: c.ThreadID, SessionID: c.SessionID, UserID: c.UserID})
		if err != nil {
			return err
		}
		_, err = p.post(ctx, body)
		return err
	}, nil
}

// ErrNoCodeSender is returned by SendCode on an engine without
// WithCodeSender.
var ErrNoCodeSender = errors.New("engine: email verification is off (no code sender)")

// ErrCodeNotSent wraps the CodeSender's error in SendCode.
var ErrCodeNotSent = errors.New("engine: the code could not be sent")

// SourceVerification is the Result.Source of a turn whose message was a
// one-time code: the thread records EMAIL_VERIFIED or ENTERED_WRONG_OTP,
// and the bot says nothing else.
const SourceVerification = "verification"

// SendCode sends a new one-time code to the email address of a thread's
// user, replacing any code awaited: for a user tied to the thread by
// CreateThread or UpdateThread, one whose code expired, or one who asks
// again. The thread records PROBLEMS_WITH_UPSTREAM_PROVIDER when the
// sender fails, and SendCode returns an error wrapping ErrCodeNotSent.
func (e *Engine) SendCode(ctx context.Context, threadID string) error {
	if e.codes == nil {
		return ErrNoCodeSender
	}
	th, err := e.Thread(ctx, threadID)
	if err != nil {
		return err
	}
	u, err := e.ThreadUser(ctx, th)
	if err != nil {
		return err
	}
	if u == nil || u.Email() == "" {
		return invalid("threadId", "must name a thread whose user has an email address")
	}
	c := e.newCode(th, u.ID, u.Email())
	sendErr := e.sendCode(ctx, c)
	_, err = e.threadTurn(ctx, th, func(t *store.Turn) error {
		if sendErr != nil {
			t.Append(store.Message{Type: store.SystemMessage, SystemType: store.UpstreamProblem})
			return nil
		}
		t.Session.Verification = awaiting(c)
		keepOpen(t.Session, e.bot.Load().timeout)
		return nil
	})
	if err != nil {
		return err
	}
	if sendErr != nil {
		return fmt.Errorf("%w: %w", ErrCodeNotSent, sendErr)
	}
	return nil
}

// newCode draws a code for the user of th.
func (e *Engine) newCode(th store.Thread, userID, email string) Code {
	var b [8]byte
	rand.Read(b[:])
	n := uint64(0)
	for _, x := range b {
		n = n<<8 | uint64(x)
	}
	mod := uint64(1)
	for range CodeDigits {
		mod *= 10
	}
	code := fmt.Sprintf("%0*d", CodeDigits, n%mod)
	return Code{Email: email, Code: code, ExpiresAt: e.now().Add(CodeLifetime),
		ThreadID: th.PublicID(), SessionID: th.SessionID, UserID: userID}
}

// sendCode calls the host's CodeSender, turning a panic into an error.
func (e *Engine) sendCode(ctx context.Context, c Code) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine: code sender panicked: %v", r)
		}
	}()
	if err = e.codes(ctx, c); err != nil {
		e.log.Warn("engine: the code sender failed", "thread", c.ThreadID, "err", err)
	}
	return err
}

// awaiting is the verification a session keeps for c: a hash of the
// code, never the code.
func awaiting(c Code) *store.Verification {
	return &store.Verification{Email: c.Email, Code: codeHash(c.SessionID, c.Code), ExpiresAt: c.ExpiresAt}
}

func codeHash(sessionID, code string) string {
	h := sha256.Sum256([]byte(sessionID + "\x00" + code))
	return hex.EncodeToString(h[:])
}

// isCode reports whether a message is an attempt to enter a code.
func isCode(msg string) bool {
	msg = strings.TrimSpace(msg)
	if len(msg) != CodeDigits {
		return false
	}
	for i := 0; i < len(msg); i++ {
		if msg[i] < '0' || msg[i] > '9' {
			return false
		}
	}
	return true
}

// checkCode records the outcome of the user's message, which is an
// attempt to enter the code v awaits.
func (tr *turn) checkCode(v *store.Verification) {
	t := tr.t
	got := codeHash(t.Session.ID, strings.TrimSpace(tr.req.Query))
	switch {
	case !t.Now.Before(v.ExpiresAt):
		t.Session.Verification = nil
		t.Append(store.Message{Type: store.SystemMessage, SystemType: store.EnteredWrongOTP, Text: "the code has expired"})
	case subtle.ConstantTimeCompare([]byte(got), []byte(v.Code)) == 1:
		t.Session.Verification = nil
		if t.User != nil {
			t.User.VerifiedEmail = v.Email
		}
		t.Append(store.Message{Type: store.SystemMessage, SystemType: store.EmailVerified, Text: v.Email})
	default:
		v.Attempts++
		left := MaxCodeAttempts - v.Attempts
		text := "wrong code, " + strconv.Itoa(left) + " attempts left"
		switch left {
		case 0:
			t.Session.Verification = nil
			text = "wrong code, no attempts left"
		case 1:
			text = "wrong code, 1 attempt left"
		}
		t.Append(store.Message{Type: store.SystemMessage, SystemType: store.EnteredWrongOTP, Text: text})
	}
}

// startVerification sends the user who just gave email a code, once per
// Chat call, and awaits it; if the sender fails, the thread records why.
func (tr *turn) startVerification(email string) {
	t := tr.t
	const key = "verify"
	hr, ok := tr.memo[key]
	if !ok {
		hr.code = tr.e.newCode(*t.Thread, t.User.ID, email)
		hr.code.SessionID = t.Session.ID
		hr.err = tr.e.sendCode(tr.ctx, hr.code)
		tr.remember(key, hr)
	}
	if hr.err != nil {
		t.Session.Verification = nil
		if !tr.upstream {
			t.Append(store.Message{Type: store.SystemMessage, SystemType: store.UpstreamProblem})
		}
		return
	}
	t.Session.Verification = awaiting(hr.code)
	keepOpen(t.Session, tr.cb.timeout)
}

// keepOpen keeps a session that awaits a code open until a session
// timeout after the code expires, so that a code entered late is told it
// expired rather than read in a new session.
func keepOpen(s *store.Session, timeout time.Duration) {
	if v := s.Verification; v != nil {
		if end := v.ExpiresAt.Add(timeout); end.After(s.ExpiresAt) {
			s.ExpiresAt = end
		}
	}
}
