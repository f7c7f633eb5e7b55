package httpadapter

import (
	"net/http"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/story"
)

// V0Persona is a persona of SiteGPT's: its id is the persona's name in
// the bot file.
type V0Persona struct {
	ID           string  `json:"id"`
	Title        string  `json:"title"`
	Description  *string `json:"description"`
	Instructions *string `json:"instructions"`
}

func v0Persona(p story.Persona) V0Persona {
	return V0Persona{ID: p.Name, Title: p.Title, Description: strPtr(p.Description), Instructions: strPtr(p.Instructions)}
}

// personaRoutes serves the bot's personas (SiteGPT's, under
// /settings/personas), their assignment to the bot, and a thread's choice.
// The bot file declares personas, with the variants of their style:
// adding or changing one over the API is not offered.
func (h *Handler) personaRoutes(v func(method, path string, need scope, fn http.HandlerFunc)) {
	v("GET", "/settings/personas", scopeClient, h.listPersonas)
	v("GET", "/settings/personas/{personaId}", scopeClient, h.getPersona)
	v("POST", "/settings/personas/{personaId}/assign", scopeDeveloper, h.assignPersona)
	v("POST", "/threads/{threadId}/persona", scopeThread, h.selectPersona)
}

// GET .../settings/personas
func (h *Handler) listPersonas(w http.ResponseWriter, r *http.Request) {
	ps := h.engine(r).Personas()
	out := make([]V0Persona, len(ps))
	for i, p := range ps {
		out[i] = v0Persona(p)
	}
	h.ok(w, "Fetched all the custom personas of the chatbot successfully", map[string]any{"personas": out})
}

// GET .../settings/personas/{personaId}
func (h *Handler) getPersona(w http.ResponseWriter, r *http.Request) {
	p, err := h.engine(r).Persona(r.PathValue("personaId"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.ok(w, "Fetched the custom persona of the chatbot successfully", map[string]any{"persona": v0Persona(p)})
}

// POST .../settings/personas/{personaId}/assign: the persona of every
// thread without one of its own, until the bot is reloaded or the server
// restarts; "default" assigns the bot's own style.
func (h *Handler) assignPersona(w http.ResponseWriter, r *http.Request) {
	if err := h.engine(r).AssignPersona(r.PathValue("personaId")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.ok(w, "Assigned persona to the chatbot successfully", nil)
}

type selectPersonaRequest struct {
	PersonaID *string `json:"personaId"`
}

// POST .../threads/{threadId}/persona {personaId}: the thread's persona;
// null or "default" for the bot's.
func (h *Handler) selectPersona(w http.ResponseWriter, r *http.Request) {
	var req selectPersonaRequest
	if err := h.decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	h.onThread(w, r, "Selected the persona of the thread successfully", func(eng *engine.Engine, th store.Thread) error {
		_, err := eng.SelectPersona(r.Context(), th.ID, deref(req.PersonaID))
		return err
	})
}
