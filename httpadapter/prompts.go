package httpadapter

import (
	"errors"
	"net/http"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
)

// V0Prompt is a quick prompt or a follow-up prompt of SiteGPT's; quick
// prompts leave out isEscalationPrompt.
type V0Prompt struct {
	ID                 string  `json:"id"`
	Title              string  `json:"title"`
	Description        string  `json:"description"`
	Link               *string `json:"link"`
	IsEscalationPrompt *bool   `json:"isEscalationPrompt,omitempty"`
}

func v0Prompts(kind engine.PromptKind, ps []engine.Prompt) []V0Prompt {
	out := make([]V0Prompt, len(ps))
	for i, p := range ps {
		out[i] = V0Prompt{ID: p.ID, Title: p.Title, Description: p.Description, Link: strPtr(p.Link)}
		if kind == engine.FollowUpPrompts {
			out[i].IsEscalationPrompt = &p.Escalation
		}
	}
	return out
}

type promptRequest struct {
	Title              *string `json:"title"`
	Description        *string `json:"description"`
	Link               *string `json:"link"`
	IsEscalationPrompt *bool   `json:"isEscalationPrompt"`
}

var errNoPrompt = &apiError{status: http.StatusNotFound, field: "promptId", message: "no prompt has this id"}

// promptRoutes serves the quick prompts under both of SiteGPT's names
// (/quick-prompts and /conversation-starters) and the follow-up prompts.
// Edits live in the engine's memory: the bot file declares the prompts
// that last (see engine.Prompt).
func (h *Handler) promptRoutes(v func(method, path string, need scope, fn http.HandlerFunc)) {
	for _, base := range []string{"/quick-prompts", "/conversation-starters"} {
		v("GET", base, scopeClient, h.listPrompts(engine.QuickPrompts))
		v("GET", base+"/{promptId}", scopeClient, h.getPrompt(engine.QuickPrompts))
		v("POST", base, scopeDeveloper, h.addPrompt(engine.QuickPrompts))
		v("PATCH", base+"/{promptId}", scopeDeveloper, h.updatePrompt(engine.QuickPrompts))
		v("DELETE", base+"/{promptId}", scopeDeveloper, h.deletePrompt(engine.QuickPrompts))
	}
	const f = "/follow-up-prompts"
	v("GET", f, scopeClient, h.listPrompts(engine.FollowUpPrompts))
	v("GET", f+"/{promptId}", scopeClient, h.getPrompt(engine.FollowUpPrompts))
	v("POST", f, scopeDeveloper, h.addPrompt(engine.FollowUpPrompts))
	v("PATCH", f+"/{promptId}", scopeDeveloper, h.updatePrompt(engine.FollowUpPrompts))
	v("DELETE", f+"/{promptId}", scopeDeveloper, h.deletePrompt(engine.FollowUpPrompts))
}

func promptSentence(kind engine.PromptKind, quick, followUp string) string {
	if kind == engine.QuickPrompts {
		return quick
	}
	return followUp
}

func (h *Handler) promptFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		err = errNoPrompt
	}
	h.fail(w, r, err)
}

// GET .../quick-prompts, .../follow-up-prompts
func (h *Handler) listPrompts(kind engine.PromptKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ps := v0Prompts(kind, h.engine(r).Prompts(kind))
		if kind == engine.QuickPrompts {
			h.ok(w, "Fetched quick prompts of the chatbot successfully", map[string]any{"prompts": ps})
		} else {
			h.ok(w, "Fetched follow-up prompts of the chatbot successfully", map[string]any{"followUpPrompts": ps})
		}
	}
}

// GET .../quick-prompts/{promptId}, .../follow-up-prompts/{promptId}
func (h *Handler) getPrompt(kind engine.PromptKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := h.engine(r).Prompt(kind, r.PathValue("promptId"))
		if err != nil {
			h.promptFail(w, r, err)
			return
		}
		h.ok(w, promptSentence(kind, "Fetched quick prompt of the chatbot successfully", "Fetched follow-up prompt of the chatbot successfully"),
			v0Prompts(kind, []engine.Prompt{p})[0])
	}
}

// POST .../conversation-starters, .../follow-up-prompts. SiteGPT answers
// data {}; Parley puts the new prompt's id in it.
func (h *Handler) addPrompt(kind engine.PromptKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req promptRequest
		if err := h.decode(w, r, &req); err != nil {
			h.fail(w, r, err)
			return
		}
		p, err := h.engine(r).AddPrompt(kind, engine.Prompt{Title: deref(req.Title), Description: deref(req.Description),
			Link: deref(req.Link), Escalation: req.IsEscalationPrompt != nil && *req.IsEscalationPrompt})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.ok(w, promptSentence(kind, "Added conversation starter to the chatbot successfully", "Added follow-up prompt to the chatbot successfully"),
			map[string]string{"id": p.ID})
	}
}

// PATCH .../conversation-starters/{promptId}, .../follow-up-prompts/{promptId}:
// the fields given change; a null or "" link removes the link.
func (h *Handler) updatePrompt(kind engine.PromptKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req promptRequest
		if err := h.decode(w, r, &req); err != nil {
			h.fail(w, r, err)
			return
		}
		_, err := h.engine(r).UpdatePrompt(kind, r.PathValue("promptId"), engine.PromptUpdate{
			Title: req.Title, Description: req.Description, Link: req.Link, Escalation: req.IsEscalationPrompt})
		if err != nil {
			h.promptFail(w, r, err)
			return
		}
		h.ok(w, promptSentence(kind, "Updated conversation starter of the chatbot successfully", "Updated follow-up prompt of the chatbot successfully"),
			map[string]any{})
	}
}

// DELETE .../conversation-starters/{promptId}, .../follow-up-prompts/{promptId}
func (h *Handler) deletePrompt(kind engine.PromptKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h.engine(r).DeletePrompt(kind, r.PathValue("promptId")); err != nil {
			h.promptFail(w, r, err)
			return
		}
		h.ok(w, promptSentence(kind, "Deleted conversation starter of the chatbot successfully", "Deleted follow-up prompt of the chatbot successfully"),
			map[string]any{})
	}
}

// firstOf returns the first non-empty string.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
