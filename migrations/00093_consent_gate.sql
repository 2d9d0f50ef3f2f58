-- +goose Up
-- The consent gate (PIPL art. 31; CONTRACT.md, persons import): a person under 14 without
-- a guardian's consent is withheld from every list that names people, however they
-- entered — the API, the import, a correction of the birth date or identity number. The
-- rule lives here, once, so that no path can skip it: a person whose row says
-- 'not_required' but who is under 14 today (China's date) is 'pending' instead, on every
-- insert and on every change of the birth date. A person who was 'pending' only because
-- of a wrong birth date becomes 'not_required' again when the corrected date makes them
-- 14 or older and no consent was ever recorded. 'granted' and 'withdrawn' are decisions of
-- a guardian and stay.

-- china_today is the civil date in China: "today" of every rule (CONTRACT.md).
CREATE FUNCTION china_today() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (now() AT TIME ZONE 'Asia/Shanghai')::date;

-- needs_guardian_consent: under 14 on day d (the contract's D + k years: PostgreSQL's
-- date + interval, so a child born on February 29 is 14 on February 28)
CREATE FUNCTION needs_guardian_consent(birth date, d date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (birth + interval '14 years')::date > d;

-- person_listed: may the person appear in a list that names people? Not while a
-- guardian's consent is pending or after it was withdrawn (aggregates count everyone). The
-- one definition every listing query uses.
CREATE FUNCTION person_listed(consent_state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN consent_state IN ('not_required', 'granted');

-- +goose StatementBegin
CREATE FUNCTION persons_consent_gate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.consent_state = 'not_required' AND needs_guardian_consent(NEW.birth_date, china_today()) THEN
        NEW.consent_state := 'pending';
    ELSIF TG_OP = 'UPDATE' AND NEW.consent_state = 'pending' AND NEW.birth_date <> OLD.birth_date
          AND NOT needs_guardian_consent(NEW.birth_date, china_today())
          AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.person_id = NEW.id) THEN
        NEW.consent_state := 'not_required';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER persons_consent_gate BEFORE INSERT OR UPDATE OF birth_date, consent_state ON persons
    FOR EACH ROW EXECUTE FUNCTION persons_consent_gate();

-- persons already recorded under the old import rule (created 'not_required' whatever
-- their age) are held to the gate now
SELECT set_config('talentdb.scope', 'office', true);
UPDATE persons SET consent_state = 'pending'
WHERE consent_state = 'not_required' AND needs_guardian_consent(birth_date, china_today());

-- +goose Down
DROP TRIGGER persons_consent_gate ON persons;
DROP FUNCTION persons_consent_gate();
DROP FUNCTION person_listed(text);
DROP FUNCTION needs_guardian_consent(date, date);
DROP FUNCTION china_today();
