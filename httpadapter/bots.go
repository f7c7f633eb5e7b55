package httpadapter

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/parleybot/parley/engine"
)

// A Bot is one bot a Handler serves: a name, unique in the Handler, from
// which its chatbotId derives, and the engine that runs it. Each bot has
// its own engine over its own store, so that its users, sessions, threads
// and counters never mix with another's.
type Bot struct {
	// Name is 1–64 letters, digits, '-' and '_'.
	Name   string
	Engine *engine.Engine
	// Title and Description describe the bot in SiteGPT's chatbot object;
	// they default to the bot file's settings, Title then to Name.
	Title, Description string
}

var botName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// DefaultBotName is the name of the bot of New.
const DefaultBotName = "default"

// ChatbotID returns the chatbotId of the bot named name: 18 decimal digits
// derived from the name, as SiteGPT's ids look, the same in every process
// and at every start.
func ChatbotID(name string) string {
	sum := sha256.Sum256([]byte("parley chatbot " + name))
	n := binary.BigEndian.Uint64(sum[:8]) % 900_000_000_000_000_000
	return fmt.Sprintf("%018d", n+100_000_000_000_000_000)
}

// served is a bot as the Handler keeps it.
type served struct {
	Bot
	id string // chatbotId
}

type botKey struct{}

// NewBots returns a Handler serving several bots. The first answers the
// ChatBot.com routes at the root (/query, /users, ...); each is reached by
// its chatbotId under /chatbots/{chatbotId}/ with the same routes, and
// under /v0/chatbots/{chatbotId}/ with SiteGPT's.
func NewBots(bots []Bot, opts ...Option) (*Handler, error) {
	if len(bots) == 0 {
		return nil, errors.New("httpadapter: no bot")
	}
	seen := map[string]bool{}
	list := make([]*served, len(bots))
	for i, b := range bots {
		if !botName.MatchString(b.Name) {
			return nil, fmt.Errorf("httpadapter: bot name %q: want 1 to 64 letters, digits, '-' or '_'", b.Name)
		}
		if seen[b.Name] {
			return nil, fmt.Errorf("httpadapter: bot name %q given twice", b.Name)
		}
		seen[b.Name] = true
		if b.Engine == nil {
			return nil, fmt.Errorf("httpadapter: bot %q: nil engine", b.Name)
		}
		list[i] = &served{Bot: b, id: ChatbotID(b.Name)}
	}
	return newHandler(list, opts)
}

// engine returns the engine of the request's bot: the one its path names,
// else the first.
func (h *Handler) engine(r *http.Request) *engine.Engine {
	if b, ok := r.Context().Value(botKey{}).(*served); ok {
		return b.Engine
	}
	return h.bots[0].Engine
}

// botByID returns the bot with the given chatbotId, or nil.
func (h *Handler) botByID(id string) *served {
	for _, b := range h.bots {
		if b.id == id {
			return b
		}
	}
	return nil
}

// perBot serves fn for the bot named by the path's chatbotId.
func (h *Handler) perBot(fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b := h.botByID(r.PathValue("chatbotId"))
		if b == nil {
			h.fail(w, r, errNoChatbot)
			return
		}
		fn(w, r.WithContext(context.WithValue(r.Context(), botKey{}, b)))
	}
}

// botsReady reports whether every bot's engine is ready.
func (h *Handler) botsReady(ctx context.Context) error {
	for _, b := range h.bots {
		if err := b.Engine.Ready(ctx); err != nil {
			return err
		}
	}
	return nil
}
