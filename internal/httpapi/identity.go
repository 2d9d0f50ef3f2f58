package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/person"
)

// The identity review queue and person merges (docs/identity.md): the office reviews
// pairs of persons that probably are one person entered twice, dismisses them or merges
// them, and may undo a merge.

// ProblemMergeRefused is the type of a 409 for a merge or undo the persons' state refuses.
const ProblemMergeRefused = problemBase + "merge-refused"

// candidatePersonView is one side of a candidate pair: masked identity number only.
type candidatePersonView struct {
	ID             int64     `json:"id"`
	IDNumberMasked string    `json:"id_number_masked"`
	Name           string    `json:"name"`
	Gender         string    `json:"gender"`
	BirthDate      string    `json:"birth_date"`
	SchoolCode     *string   `json:"school_code"`
	SchoolName     *string   `json:"school_name"`
	CreatedAt      time.Time `json:"created_at"`
}

type candidateView struct {
	ID        int64               `json:"id"`
	Reason    string              `json:"reason"`
	Status    string              `json:"status"`
	CreatedAt time.Time           `json:"created_at"`
	Person    candidatePersonView `json:"person"`
	Similar   candidatePersonView `json:"similar"`
}

func viewCandidatePerson(p person.CandidatePerson) candidatePersonView {
	return candidatePersonView{ID: p.ID, IDNumberMasked: p.IDNumberMasked, Name: p.Name, Gender: p.Gender,
		BirthDate: dateString(p.BirthDate), SchoolCode: p.SchoolCode, SchoolName: p.SchoolName,
		CreatedAt: p.CreatedAt.UTC()}
}

func viewCandidate(c person.Candidate) candidateView {
	return candidateView{ID: c.ID, Reason: c.Reason, Status: c.Status, CreatedAt: c.CreatedAt.UTC(),
		Person: viewCandidatePerson(c.Person), Similar: viewCandidatePerson(c.Similar)}
}

// candidateRecordView is a row of the queue as a dismissal answers it: the two persons by id.
type candidateRecordView struct {
	ID         int64      `json:"id"`
	PersonID   int64      `json:"person_id"`
	SimilarID  int64      `json:"similar_id"`
	Reason     string     `json:"reason"`
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
	ResolvedBy *string    `json:"resolved_by"`
}

// listCandidates is GET /identity/candidates: the open pairs in the order they were
// found, "person" the newer record, "similar" the existing one it resembles.
func (s *server) listCandidates(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	limit := q.limit()
	var after int64
	q.after(&after)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.doors.Persons.Candidates(r.Context(), callerFrom(r), after, limit+1)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, limit, func(c person.Candidate) any { return c.ID }, viewCandidate)
}

// dismissCandidate is POST /identity/candidates/{id}/dismiss: the two are different
// persons. 200 with the candidate; 409 when it is no longer open.
func (s *server) dismissCandidate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "identity candidate")
	if err != nil {
		fail(w, r, err)
		return
	}
	c, err := s.doors.Persons.DismissCandidate(r.Context(), callerFrom(r), id)
	var ce *person.CandidateClosedError
	switch {
	case errors.As(err, &ce):
		fail(w, r, conflictProblem("status", "closed",
			fmt.Sprintf("该核对项已处理（%s）/ The candidate is already %s.", ce.Status, ce.Status)))
		return
	case errors.Is(err, access.ErrNotFound):
		fail(w, r, notFoundProblem("identity candidate"))
		return
	case err != nil:
		fail(w, r, err)
		return
	}
	respondJSON(w, http.StatusOK, candidateRecordView(c))
}

// mergeBody is the body of POST /persons/{id}/merge.
type mergeBody struct {
	From *int64 `json:"from"`
}

// mergeView is a merge as the API shows it: its times in UTC, and what it moved.
type mergeView struct {
	ID       int64      `json:"id"`
	KeptID   int64      `json:"kept_id"`
	MergedID int64      `json:"merged_id"`
	MergedBy *string    `json:"merged_by"`
	MergedAt time.Time  `json:"merged_at"`
	UndoneAt *time.Time `json:"undone_at"`
	Moved    movedView  `json:"moved"`
}

// movedView is what a merge changed (docs/identity.md): rows by table moved to the kept
// person, soft-deleted or left with the merged one, the career moves' ends and the queue's
// pairs as they were, the persons repointed and the kept person's school before.
type movedView struct {
	Moved             map[string][]int64   `json:"moved"`
	SoftDeleted       map[string][]int64   `json:"soft_deleted"`
	Left              map[string][]int64   `json:"left"`
	CareerMoveEnds    []careerMoveEndView  `json:"career_move_ends"`
	Candidates        []candidateStateView `json:"candidates"`
	Repointed         []int64              `json:"repointed"`
	KeptSchoolChanged bool                 `json:"kept_school_changed"`
	KeptSchoolBefore  *int64               `json:"kept_school_before"`
}

// careerMoveEndView and candidateStateView have the fields of the door's types, so those
// convert to them.
type careerMoveEndView struct {
	ID      int64      `json:"id"`
	EndedOn *time.Time `json:"ended_on"`
}

type candidateStateView struct {
	ID         int64      `json:"id"`
	Status     string     `json:"status"`
	ResolvedAt *time.Time `json:"resolved_at"`
	ResolvedBy *string    `json:"resolved_by"`
}

func viewMerge(m person.Merge) mergeView {
	mv := m.Moved
	return mergeView{ID: m.ID, KeptID: m.KeptID, MergedID: m.MergedID, MergedBy: m.MergedBy, MergedAt: m.MergedAt.UTC(),
		UndoneAt: utcPtr(m.UndoneAt), Moved: movedView{Moved: mv.Moved, SoftDeleted: mv.SoftDeleted, Left: mv.Left,
			CareerMoveEnds: viewEach(mv.CareerMoveEnds, func(e person.CareerMoveEnd) careerMoveEndView { return careerMoveEndView(e) }),
			Candidates:     viewEach(mv.Candidates, func(c person.CandidateState) candidateStateView { return candidateStateView(c) }),
			Repointed:      mv.Repointed, KeptSchoolChanged: mv.KeptSchoolChanged, KeptSchoolBefore: mv.KeptSchoolBefore}}
}

// mergeProblem answers the refusals of a merge or an undo.
func mergeProblem(w http.ResponseWriter, r *http.Request, err error) {
	var me *person.MergeError
	if !errors.As(err, &me) {
		if errors.Is(err, access.ErrNotFound) {
			err = notFoundProblem("person or merge")
		}
		fail(w, r, err)
		return
	}
	var detail string
	switch me.Reason {
	case "same_person":
		detail = "不能把人员合并到自己 / A person cannot be merged into itself."
	case "kept_merged":
		detail = fmt.Sprintf("保留的人员已合并到人员 %d / The kept person was merged into person %d; merge into that one (or undo that merge first).", me.Into, me.Into)
	case "from_merged":
		detail = fmt.Sprintf("该人员已合并到人员 %d / The person to merge was already merged into person %d.", me.Into, me.Into)
	case "already_undone":
		detail = "该合并已撤销 / The merge was already undone."
	default:
		detail = "合并的状态已改变，无法撤销 / The merge can no longer be undone as recorded."
	}
	p := newProblem(http.StatusConflict, ProblemMergeRefused, "Merge refused", detail)
	p.Errors = []FieldError{{Field: "from", Rule: me.Reason, Message: detail}}
	fail(w, r, p)
}

// mergePerson is POST /persons/{id}/merge {"from": other_id}: every record of "from"
// moves to {id}, which is kept; "from" is marked merged into it. 200 with the merge.
func (s *server) mergePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b mergeBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	m, err := s.doors.Persons.Merge(r.Context(), callerFrom(r), id, b.From)
	if err != nil {
		mergeProblem(w, r, err)
		return
	}
	respondJSON(w, http.StatusOK, viewMerge(m))
}

// listMerges is GET /persons/{id}/merges: the merges into the person, oldest first,
// undone ones too.
func (s *server) listMerges(w http.ResponseWriter, r *http.Request) {
	personRead(w, r, s.doors.Persons.Merges, func(_ int64, ms []person.Merge) { list(w, ms, viewMerge) })
}

// undoMerge is POST /persons/{id}/merges/{merge_id}/undo: the merge is undone exactly.
// 200 with the merge, now with undone_at.
func (s *server) undoMerge(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	mergeID, err := strconv.ParseInt(r.PathValue("merge_id"), 10, 64)
	if err != nil || mergeID <= 0 {
		fail(w, r, notFoundProblem("merge"))
		return
	}
	m, err := s.doors.Persons.Unmerge(r.Context(), callerFrom(r), id, mergeID)
	if err != nil {
		mergeProblem(w, r, err)
		return
	}
	respondJSON(w, http.StatusOK, viewMerge(m))
}
