package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"talentdb/db"
)

// ReminderSettings is whether an organization (a school, or the office for the province
// digest) gets the daily digest of its follow-up schedule, and where it goes
// (docs/reminders.md). Version 0 is an organization that never saved its settings.
type ReminderSettings struct {
	SchoolID    int64
	SchoolCode  string
	SchoolName  string
	Kind        string // the organization's kind: school or office
	CityCode    string
	Enabled     bool
	WebhookKind *string // wecom or dingtalk
	WebhookURL  *string
	Emails      []string
	Version     int
	UpdatedAt   *time.Time
}

// ReminderSettingsInput is what a caller sets.
type ReminderSettingsInput struct {
	Enabled     bool
	WebhookKind *string
	WebhookURL  *string
	Emails      []string
}

// ReminderSend is one recorded send of a digest to one channel.
type ReminderSend struct {
	ID       int64
	SchoolID int64
	Day      time.Time
	Channel  string // wecom, dingtalk or email
	Status   string // sent or failed
	Attempts int
	Error    *string
	Forced   bool
	SentAt   time.Time
}

func reminderSettingsFrom(r db.ReminderSettingsGetRow) ReminderSettings {
	return ReminderSettings{SchoolID: r.SchoolID, SchoolCode: r.Code, SchoolName: r.Name, Kind: r.Kind, CityCode: r.CityCode,
		Enabled: r.Enabled, WebhookKind: r.WebhookKind, WebhookURL: r.WebhookUrl, Emails: r.Emails,
		Version: int(r.Version), UpdatedAt: r.UpdatedAt}
}

// reminderSettingsAudit is the settings as the audit log shows them: recipients are
// contact data of the school, not of a person; a webhook's query (the robot's key or
// access token, a credential) is left out.
func reminderSettingsAudit(r ReminderSettings) map[string]any {
	var hook *string
	if r.WebhookURL != nil {
		h, _, cut := strings.Cut(*r.WebhookURL, "?")
		if cut {
			h += "?…"
		}
		hook = &h
	}
	return map[string]any{"school_id": r.SchoolID, "enabled": r.Enabled, "webhook_kind": r.WebhookKind,
		"webhook_url": hook, "emails": r.Emails, "version": r.Version}
}

// ReminderSettingsGet returns the settings of organization schoolID (switched off at
// version 0 when it has none), or ErrNotFound.
func (s *Store) ReminderSettingsGet(ctx context.Context, schoolID int64) (ReminderSettings, error) {
	return rowOf(ctx, s, "get reminder settings", schoolID, getter(s.q.ReminderSettingsGet, reminderSettingsFrom))
}

// ReminderSettingsSave writes the settings of organization schoolID, provided they are
// still at version (else ErrStale), and audits the change in the same transaction.
func (s *Store) ReminderSettingsSave(ctx context.Context, a Actor, schoolID int64, version int,
	in ReminderSettingsInput) (ReminderSettings, error) {
	return createTx(ctx, s, "save reminder settings", func(tx pgx.Tx) (ReminderSettings, error) {
		got, err := s.q.ReminderSettingsLock(ctx, tx, schoolID)
		if err != nil {
			return ReminderSettings{}, err
		}
		if err := checkVersion(got, version); err != nil {
			return ReminderSettings{}, err
		}
		before, err := s.q.ReminderSettingsGet(ctx, tx, schoolID)
		if err != nil {
			return ReminderSettings{}, mapErr("get reminder settings", err)
		}
		emails := in.Emails
		if emails == nil {
			emails = []string{}
		}
		if err := s.q.ReminderSettingsUpsert(ctx, tx, db.ReminderSettingsUpsertParams{SchoolID: schoolID,
			Enabled: in.Enabled, WebhookKind: in.WebhookKind, WebhookUrl: in.WebhookURL, Emails: emails}); err != nil {
			return ReminderSettings{}, err
		}
		r, err := s.q.ReminderSettingsGet(ctx, tx, schoolID)
		if err != nil {
			return ReminderSettings{}, err
		}
		out := reminderSettingsFrom(r)
		action := "update"
		if version == 0 {
			action = "create"
		}
		e := AuditEntry{Action: action, Entity: "reminder_settings", EntityID: fmt.Sprint(schoolID), SchoolID: &schoolID,
			After: reminderSettingsAudit(out)}
		if version != 0 {
			e.Before = reminderSettingsAudit(reminderSettingsFrom(before))
		}
		return out, s.Audit(ctx, tx, a, e)
	})
}

// ReminderSettingsEnabled lists every organization whose digest is switched on, the
// office's first, then by code.
func (s *Store) ReminderSettingsEnabled(ctx context.Context) ([]ReminderSettings, error) {
	rows, err := s.q.ReminderSettingsEnabled(ctx, s.scoped())
	return rowsOf("list reminder settings", rows, err, func(r db.ReminderSettingsEnabledRow) ReminderSettings {
		return ReminderSettings{SchoolID: r.SchoolID, SchoolCode: r.Code, SchoolName: r.Name, Kind: r.Kind,
			CityCode: r.CityCode, Enabled: true, WebhookKind: r.WebhookKind, WebhookURL: r.WebhookUrl, Emails: r.Emails}
	})
}

// ReminderSendDone reports whether the digest of day went out already to channel of
// organization schoolID.
func (s *Store) ReminderSendDone(ctx context.Context, schoolID int64, day time.Time, channel string) (bool, error) {
	ok, err := s.q.ReminderSendDone(ctx, s.scoped(), db.ReminderSendDoneParams{SchoolID: schoolID, Day: day, Channel: channel})
	if err != nil {
		return false, mapErr("reminder send done", err)
	}
	return ok, nil
}

// ReminderSendClaim claims the send of day's digest to channel of organization schoolID
// for this run: the id of its 'sending' row, or ok false when the digest went out already
// or another run holds the claim. Two claims at the same moment get one row between them
// (a unique key); a forced claim always gets one. A claim older than lease that never
// finished is recorded as failed first (its run stopped), so it does not hold the day.
func (s *Store) ReminderSendClaim(ctx context.Context, schoolID int64, day time.Time, channel string, forced bool,
	lease time.Duration) (int64, bool, error) {
	var id int64
	claimed := true
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := s.q.ReminderSendAbandon(ctx, tx, db.ReminderSendAbandonParams{SchoolID: schoolID, Day: day,
			Channel: channel, Lease: pgtype.Interval{Microseconds: lease.Microseconds(), Valid: true}}); err != nil {
			return err
		}
		var err error
		id, err = s.q.ReminderSendClaim(ctx, tx, db.ReminderSendClaimParams{SchoolID: schoolID, Day: day,
			Channel: channel, Forced: forced})
		if errors.Is(err, pgx.ErrNoRows) {
			claimed = false
			return nil
		}
		return err
	})
	if err != nil {
		return 0, false, writeErr("claim reminder send", "", err)
	}
	return id, claimed, nil
}

// ReminderSendFinish records the outcome (sent or failed, its attempts and error) of the
// claimed send id.
func (s *Store) ReminderSendFinish(ctx context.Context, id int64, status string, attempts int, errText *string) error {
	n, err := s.q.ReminderSendFinish(ctx, s.scoped(), db.ReminderSendFinishParams{ID: id, Status: status,
		Attempts: int32(attempts), Error: errText})
	if err != nil {
		return writeErr("finish reminder send", "", err)
	}
	if n != 1 {
		return fmt.Errorf("finish reminder send %d: no claimed send: %w", id, ErrNotFound)
	}
	return nil
}

// ReminderSendList returns the latest limit sends of organization schoolID, newest first.
func (s *Store) ReminderSendList(ctx context.Context, schoolID int64, limit int) ([]ReminderSend, error) {
	rows, err := s.q.ReminderSendList(ctx, s.scoped(), db.ReminderSendListParams{SchoolID: schoolID, Lim: int32(limit)})
	return rowsOf("list reminder sends", rows, err, func(r db.ReminderSend) ReminderSend {
		return ReminderSend{ID: r.ID, SchoolID: r.SchoolID, Day: r.Day, Channel: r.Channel, Status: r.Status,
			Attempts: int(r.Attempts), Error: r.Error, Forced: r.Forced, SentAt: r.SentAt}
	})
}
