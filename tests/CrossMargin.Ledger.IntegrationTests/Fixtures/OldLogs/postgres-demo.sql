--
-- PostgreSQL database dump
--

\restrict EPRbxb1zP3IG6lplu5XPjDSg2pYSyoIIpcYmoadDuTRGYS5t8LB62tEwzjofstA

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: ledger; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA ledger;


--
-- Name: regulator; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA regulator;


--
-- Name: mt_archive_stream(character varying); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_archive_stream(streamid character varying) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
  update ledger.mt_streams set is_archived = TRUE where id = streamid ;
  update ledger.mt_events set is_archived = TRUE where stream_id = streamid ;
END;
$$;


--
-- Name: mt_grams_array(text, boolean); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_grams_array(words text, use_unaccent boolean DEFAULT false) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$
        DECLARE
result text[];
        DECLARE
word text;
        DECLARE
clean_word text;
BEGIN
                FOREACH
word IN ARRAY string_to_array(words, ' ')
                LOOP
                     clean_word = regexp_replace(ledger.mt_safe_unaccent(use_unaccent, word), '[^a-zA-Z0-9]+', '','g');
FOR i IN 1 .. length(clean_word)
                     LOOP
                         result := result || quote_literal(substr(lower(clean_word), i, 1));
                         result
:= result || quote_literal(substr(lower(clean_word), i, 2));
                         result
:= result || quote_literal(substr(lower(clean_word), i, 3));
END LOOP;
END LOOP;

RETURN ARRAY(SELECT DISTINCT e FROM unnest(result) AS a(e) ORDER BY e);
END;
$$;


--
-- Name: mt_grams_query(text, boolean); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_grams_query(text, use_unaccent boolean DEFAULT false) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $_$
BEGIN
RETURN (SELECT array_to_string(ledger.mt_grams_array($1, use_unaccent), ' & ') ::tsquery);
END
$_$;


--
-- Name: mt_grams_vector(text, boolean); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_grams_vector(text, use_unaccent boolean DEFAULT false) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $_$
BEGIN
RETURN (SELECT array_to_string(ledger.mt_grams_array($1, use_unaccent), ' ') ::tsvector);
END
$_$;


--
-- Name: mt_immutable_date(text); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_immutable_date(value text) RETURNS date
    LANGUAGE sql IMMUTABLE
    AS $$
select value::date

$$;


--
-- Name: mt_immutable_time(text); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_immutable_time(value text) RETURNS time without time zone
    LANGUAGE sql IMMUTABLE
    AS $$
select value::time

$$;


--
-- Name: mt_immutable_timestamp(text); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_immutable_timestamp(value text) RETURNS timestamp without time zone
    LANGUAGE sql IMMUTABLE
    AS $$
select value::timestamp

$$;


--
-- Name: mt_immutable_timestamptz(text); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_immutable_timestamptz(value text) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE
    AS $$
select value::timestamptz

$$;


--
-- Name: mt_jsonb_append(jsonb, text[], jsonb, boolean, jsonb); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_append(jsonb, text[], jsonb, boolean, jsonb DEFAULT NULL::jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    val ALIAS FOR $3;
    if_not_exists ALIAS FOR $4;
    patch_expression ALIAS FOR $5;
    tmp_value jsonb;
BEGIN
    tmp_value = retval #> location;
    IF tmp_value IS NOT NULL AND jsonb_typeof(tmp_value) = 'array' THEN
        CASE
            WHEN NOT if_not_exists THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            WHEN patch_expression IS NULL AND jsonb_typeof(val) = 'object' AND NOT tmp_value @> jsonb_build_array(val) THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            WHEN patch_expression IS NULL AND jsonb_typeof(val) <> 'object' AND NOT tmp_value @> val THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            WHEN patch_expression IS NOT NULL AND jsonb_typeof(patch_expression) = 'array' AND jsonb_array_length(patch_expression) = 0 THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            ELSE NULL;
            END CASE;
    END IF;
    RETURN retval;
END;
$_$;


--
-- Name: mt_jsonb_append_key_value(jsonb, text[], jsonb, boolean); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_append_key_value(jsonb, text[], jsonb, boolean) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    val ALIAS FOR $3;
    if_not_exists ALIAS FOR $4;
    tmp_value jsonb;
    _key text;
BEGIN
    tmp_value = retval #> location;

    IF tmp_value IS NOT NULL AND jsonb_typeof(tmp_value) = 'object' THEN
        CASE
            WHEN NOT if_not_exists THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            WHEN NOT tmp_value ?| ARRAY(SELECT jsonb_object_keys(val)) THEN
                retval = jsonb_set(retval, location, tmp_value || val, FALSE);
            ELSE NULL;
        END CASE;
    END IF;
    RETURN retval;
END;
$_$;


--
-- Name: mt_jsonb_copy(jsonb, text[], text[]); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_copy(jsonb, text[], text[]) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    retval ALIAS FOR $1;
    src_path ALIAS FOR $2;
    dst_path ALIAS FOR $3;
    tmp_value jsonb;
BEGIN
    tmp_value = retval #> src_path;
    retval = ledger.mt_jsonb_fix_null_parent(retval, dst_path);
    RETURN jsonb_set(retval, dst_path, tmp_value::jsonb, TRUE);
END;
$_$;


--
-- Name: mt_jsonb_duplicate(jsonb, text[], jsonb); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_duplicate(jsonb, text[], jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    targets ALIAS FOR $3;
    tmp_value jsonb;
    target_path text[];
    target text;
BEGIN
    FOR target IN SELECT jsonb_array_elements_text(targets)
    LOOP
        target_path = ledger.mt_jsonb_path_to_array(target, '\.');
        retval = ledger.mt_jsonb_copy(retval, location, target_path);
    END LOOP;

    RETURN retval;
END;
$_$;


--
-- Name: mt_jsonb_fix_null_parent(jsonb, text[]); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_fix_null_parent(jsonb, text[]) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
retval ALIAS FOR $1;
    dst_path ALIAS FOR $2;
    dst_path_segment text[] = ARRAY[]::text[];
    dst_path_array_length integer;
    i integer = 1;
BEGIN
    dst_path_array_length = array_length(dst_path, 1);
    WHILE i <=(dst_path_array_length - 1)
    LOOP
        dst_path_segment = dst_path_segment || ARRAY[dst_path[i]];
        IF retval #> dst_path_segment IS NULL OR retval #> dst_path_segment = 'null'::jsonb THEN
            retval = jsonb_set(retval, dst_path_segment, '{}'::jsonb, TRUE);
        END IF;
        i = i + 1;
    END LOOP;

    RETURN retval;
END;
$_$;


--
-- Name: mt_jsonb_increment(jsonb, text[], numeric); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_increment(jsonb, text[], numeric) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
retval ALIAS FOR $1;
    location ALIAS FOR $2;
    increment_value ALIAS FOR $3;
    tmp_value jsonb;
BEGIN
    tmp_value = retval #> location;
    IF tmp_value IS NULL THEN
        tmp_value = to_jsonb(0);
END IF;

RETURN jsonb_set(retval, location, to_jsonb(tmp_value::numeric + increment_value), TRUE);
END;
$_$;


--
-- Name: mt_jsonb_insert(jsonb, text[], jsonb, integer, boolean, jsonb); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_insert(jsonb, text[], jsonb, integer, boolean, jsonb DEFAULT NULL::jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    val ALIAS FOR $3;
    elm_index ALIAS FOR $4;
    if_not_exists ALIAS FOR $5;
    patch_expression ALIAS FOR $6;
    tmp_value jsonb;
BEGIN
    tmp_value = retval #> location;
    IF tmp_value IS NOT NULL AND jsonb_typeof(tmp_value) = 'array' THEN
        IF elm_index IS NULL THEN
            elm_index = jsonb_array_length(tmp_value) + 1;
        END IF;
        CASE
            WHEN NOT if_not_exists THEN
                retval = jsonb_insert(retval, location || elm_index::text, val);
            WHEN patch_expression IS NULL AND jsonb_typeof(val) = 'object' AND NOT tmp_value @> jsonb_build_array(val) THEN
                retval = jsonb_insert(retval, location || elm_index::text, val);
            WHEN patch_expression IS NULL AND jsonb_typeof(val) <> 'object' AND NOT tmp_value @> val THEN
                retval = jsonb_insert(retval, location || elm_index::text, val);
            WHEN patch_expression IS NOT NULL AND jsonb_typeof(patch_expression) = 'array' AND jsonb_array_length(patch_expression) = 0 THEN
                retval = jsonb_insert(retval, location || elm_index::text, val);
            ELSE NULL;
        END CASE;
    END IF;
    RETURN retval;
END;
$_$;


--
-- Name: mt_jsonb_move(jsonb, text[], text); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_move(jsonb, text[], text) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    retval ALIAS FOR $1;
    src_path ALIAS FOR $2;
    dst_name ALIAS FOR $3;
    dst_path text[];
    tmp_value jsonb;
BEGIN
    tmp_value = retval #> src_path;
    retval = retval #- src_path;
    dst_path = src_path;
    dst_path[array_length(dst_path, 1)] = dst_name;
    retval = ledger.mt_jsonb_fix_null_parent(retval, dst_path);
    RETURN jsonb_set(retval, dst_path, tmp_value, TRUE);
END;
$_$;


--
-- Name: mt_jsonb_patch(jsonb, jsonb); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_patch(jsonb, jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    retval ALIAS FOR $1;
    patchset ALIAS FOR $2;
    patch jsonb;
    patch_path text[];
    patch_expression jsonb;
    value jsonb;
BEGIN
    FOR patch IN SELECT * from jsonb_array_elements(patchset)
    LOOP
        patch_path = ledger.mt_jsonb_path_to_array((patch->>'path')::text, '\.');

        patch_expression = null;
        IF (patch->>'type') IN ('remove', 'append_if_not_exists', 'insert_if_not_exists') AND (patch->>'expression') IS NOT NULL THEN
            patch_expression = jsonb_path_query_array(retval #> patch_path, (patch->>'expression')::jsonpath);
        END IF;

        CASE patch->>'type'
            WHEN 'set' THEN
                retval = jsonb_set(retval, patch_path, (patch->'value')::jsonb, TRUE);
            WHEN 'delete' THEN
                retval = retval#-patch_path;
            WHEN 'append' THEN
                retval = ledger.mt_jsonb_append(retval, patch_path, (patch->'value')::jsonb, FALSE);
            WHEN 'append_if_not_exists' THEN
                retval = ledger.mt_jsonb_append(retval, patch_path, (patch->'value')::jsonb, TRUE, patch_expression);
            WHEN 'append_key_value' THEN
                retval = ledger.mt_jsonb_append_key_value(retval, patch_path, (patch->'key_value')::jsonb, FALSE);
            WHEN 'append_key_value_if_not_exists' THEN
                retval = ledger.mt_jsonb_append_key_value(retval, patch_path, (patch->'key_value')::jsonb, TRUE);
            WHEN 'insert' THEN
                retval = ledger.mt_jsonb_insert(retval, patch_path, (patch->'value')::jsonb, (patch->>'index')::integer, FALSE);
            WHEN 'insert_if_not_exists' THEN
                retval = ledger.mt_jsonb_insert(retval, patch_path, (patch->'value')::jsonb, (patch->>'index')::integer, TRUE, patch_expression);
            WHEN 'remove' THEN
                retval = ledger.mt_jsonb_remove(retval, patch_path, COALESCE(patch_expression, (patch->'value')::jsonb));
            WHEN 'remove_key' THEN
                retval = ledger.mt_jsonb_remove_key(retval, patch_path, (patch->>'key'));
            WHEN 'duplicate' THEN
                retval = ledger.mt_jsonb_duplicate(retval, patch_path, (patch->'targets')::jsonb);
            WHEN 'rename' THEN
                retval = ledger.mt_jsonb_move(retval, patch_path, (patch->>'to')::text);
            WHEN 'increment' THEN
                retval = ledger.mt_jsonb_increment(retval, patch_path, (patch->>'increment')::numeric);
            WHEN 'increment_float' THEN
                retval = ledger.mt_jsonb_increment(retval, patch_path, (patch->>'increment')::numeric);
            ELSE NULL;
        END CASE;
    END LOOP;
    RETURN retval;
END;
$_$;


--
-- Name: mt_jsonb_path_to_array(text, character); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_path_to_array(text, character) RETURNS text[]
    LANGUAGE plpgsql
    AS $_$
DECLARE
    location ALIAS FOR $1;
    regex_pattern ALIAS FOR $2;
BEGIN
RETURN regexp_split_to_array(location, regex_pattern)::text[];
END;
$_$;


--
-- Name: mt_jsonb_remove(jsonb, text[], jsonb); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_remove(jsonb, text[], jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    val ALIAS FOR $3;
    tmp_value jsonb;
    tmp_remove jsonb;
    patch_remove jsonb;
BEGIN
    tmp_value = retval #> location;
    IF tmp_value IS NOT NULL AND jsonb_typeof(tmp_value) = 'array' THEN
        IF jsonb_typeof(val) = 'array' THEN
            tmp_remove = val;
        ELSE
            tmp_remove = jsonb_build_array(val);
        END IF;

        FOR patch_remove IN SELECT * FROM jsonb_array_elements(tmp_remove)
        LOOP
            tmp_value =(SELECT jsonb_agg(elem)
            FROM jsonb_array_elements(tmp_value) AS elem
            WHERE elem <> patch_remove);
        END LOOP;

        IF tmp_value IS NULL THEN
            tmp_value = '[]'::jsonb;
        END IF;
    END IF;
    RETURN jsonb_set(retval, location, tmp_value, FALSE);
END;
$_$;


--
-- Name: mt_jsonb_remove_key(jsonb, text[], text); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_jsonb_remove_key(jsonb, text[], text) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
DECLARE
    retval ALIAS FOR $1;
    location ALIAS FOR $2;
    _key ALIAS FOR $3;
    tmp_value jsonb;
    tmp_remove jsonb;
    patch_remove jsonb;
BEGIN
    tmp_value = retval #> location;
    IF tmp_value IS NOT NULL AND jsonb_typeof(tmp_value) = 'object' THEN
        RETURN jsonb_set(retval, location, tmp_value - _key, FALSE);
    END IF;
    RETURN retval;
END;
$_$;


--
-- Name: mt_mark_event_progression(character varying, bigint); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_mark_event_progression(name character varying, last_encountered bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
INSERT INTO ledger.mt_event_progression (name, last_seq_id, last_updated)
VALUES (name, last_encountered, transaction_timestamp())
ON CONFLICT ON CONSTRAINT pk_mt_event_progression
    DO
UPDATE SET last_seq_id = last_encountered, last_updated = transaction_timestamp();

END;

$$;


--
-- Name: mt_mark_progression_with_skip(character varying, bigint, bigint); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_mark_progression_with_skip(shard_name character varying, ending_sequence bigint, starting_sequence bigint) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
    current_value bigint;
BEGIN
    select last_seq_id into current_value from ledger.mt_event_progression where name = shard_name;

    IF current_value is null then
        -- Bootstrap the high-water row on first invocation. Previously this branch
        -- returned 0, which left HighWaterAgent.CheckNowAsync polling forever because
        -- statistics.CurrentMark never advanced. Issue #4425.
        INSERT INTO ledger.mt_event_progression (name, last_seq_id, last_updated)
        VALUES (shard_name, ending_sequence, transaction_timestamp())
        ON CONFLICT ON CONSTRAINT pk_mt_event_progression
            DO UPDATE SET last_seq_id = ending_sequence, last_updated = transaction_timestamp();
        IF ending_sequence > starting_sequence THEN
            -- Idempotent: a rebuild/replay re-marks the same skip (ending_sequence is the
            -- PK). Re-recording an existing gap is a no-op. Conflict target is the PK
            -- constraint (the bare column name collides with the function parameter). #4530.
            insert into ledger.mt_high_water_skips (ending_sequence, starting_sequence) values (ending_sequence, starting_sequence)
                on conflict on constraint pkey_mt_high_water_skips_ending_sequence do nothing;
        END IF;
        return ending_sequence;
    ELSIF current_value = starting_sequence THEN
        update ledger.mt_event_progression SET last_seq_id = ending_sequence, last_updated = transaction_timestamp() where shard_name = name;
        insert into ledger.mt_high_water_skips (ending_sequence, starting_sequence) values (ending_sequence, starting_sequence)
            on conflict on constraint pkey_mt_high_water_skips_ending_sequence do nothing;
        return ending_sequence;
    ELSE
        return current_value;
    END IF;
END
$$;


--
-- Name: mt_quick_append_events(character varying, character varying, character varying, uuid[], character varying[], character varying[], jsonb[], bytea[], character varying[], character varying[], jsonb[], bigint); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_quick_append_events(stream character varying, stream_type character varying, tenantid character varying, event_ids uuid[], event_types character varying[], dotnet_types character varying[], bodies jsonb[], bdatas bytea[], causation_ids character varying[], correlation_ids character varying[], headers jsonb[], expected_version bigint DEFAULT NULL::bigint) RETURNS bigint[]
    LANGUAGE plpgsql
    AS $$
DECLARE
	event_version bigint;
	stream_is_archived boolean;
	event_type varchar;
	event_id uuid;
	body jsonb;
	index int;
	seq bigint;
    actual_tenant varchar;
    is_new_stream boolean := false;
	return_value bigint[];
BEGIN
    if expected_version IS NOT NULL then
        -- COALESCE turns the NULL we get for a brand-new stream into 0, so a
        -- FetchForWriting against a non-existent stream (which sets
        -- ExpectedVersionOnServer = 0) and a StartStream(id, version: 0) both
        -- land on the new-stream branch instead of mis-firing the guard.
        select version, is_archived into event_version, stream_is_archived from ledger.mt_streams where id = stream;
        if COALESCE(event_version, 0) != expected_version then
            RAISE EXCEPTION 'Stream version mismatch on ''%'': expected %, actual %', stream, expected_version, COALESCE(event_version, 0) USING ERRCODE = 'MT003';
        end if;
    else
        select version, is_archived into event_version, stream_is_archived from ledger.mt_streams where id = stream;
    end if;

	if event_version IS NULL then
		event_version = 0;
		is_new_stream := true;
		-- #5456 follow-up: insert the FINAL version straight away rather than 0 plus a
		-- trailing UPDATE of the row we just wrote in this same transaction. That UPDATE
		-- is a second heap tuple + WAL record per stream creation for no observable gain
		-- -- nothing outside this transaction can see the intermediate 0. The trailing
		-- UPDATE below is skipped for this branch via is_new_stream.
		insert into ledger.mt_streams (id, type, version, timestamp, tenant_id) values (stream, stream_type, COALESCE(array_length(event_ids, 1), 0), now(), tenantid);
    else
        if stream_is_archived then
            RAISE EXCEPTION 'Attempted to append event to archived stream with Id ''%''.', stream USING ERRCODE = 'MT001';
        end if;
        if tenantid IS NOT NULL then
            select tenant_id into actual_tenant from ledger.mt_streams where id = stream;
            if actual_tenant != tenantid then
                RAISE EXCEPTION 'The tenantid does not match the existing stream';
            end if;
        end if;
	end if;

	index := 1;
	-- #5062: array_length('{}', 1) is NULL in PostgreSQL, not 0, so a call with an
	-- empty event array used to return ARRAY[NULL] -- a bigint[] whose only element
	-- is NULL, which Npgsql cannot read into long[] ('Cannot read a non-nullable
	-- collection of elements because the returned array contains nulls'). COALESCE
	-- makes the empty case mean what it says: zero events appended, so the final
	-- version is the stream's current version.
	return_value := ARRAY[event_version + COALESCE(array_length(event_ids, 1), 0)];

	foreach event_id in ARRAY event_ids
	loop
        seq := nextval('ledger.mt_events_sequence');
		return_value := array_append(return_value, seq);

	    event_version := event_version + 1;
		event_type = event_types[index];
		body = bodies[index];

		-- #4515 / #4578 / Phase 2: bdatas[index] carries the binary payload
		-- for events opted in to binary serialization (NULL otherwise).
		-- bodies[index] is the {} JSON placeholder for those events so the
		-- existing data jsonb NOT NULL constraint stays intact.
		insert into ledger.mt_events
			(seq_id, id, stream_id, version, data, bdata, type, tenant_id, timestamp, mt_dotnet_type, is_archived, causation_id, correlation_id, headers)
		values
			(seq, event_id, stream, event_version, body, bdatas[index], event_type, tenantid, (now() at time zone 'utc'), dotnet_types[index], FALSE, causation_ids[index], correlation_ids[index], headers[index]);

		index := index + 1;
	end loop;

	-- A brand-new stream already carries its final version from the insert above, so the
	-- UPDATE is only needed when we appended onto a stream that already existed.
	--
	-- #5539: and only when we actually appended something. With ZERO events this was a BLIND write-back
	-- of the version read at the top of the function, and under READ COMMITTED that is a lost update: the
	-- UPDATE waits on a concurrent appender's row lock, the winner commits, the WHERE clause is
	-- re-evaluated against the new row, and `set version = <the stale value>` lands -- leaving
	-- mt_streams.version BELOW the stream's own events. Every later append then computes a version that
	-- already exists and dies on pk_mt_events_stream_and_version, forever, until the row is repaired by
	-- hand. A non-empty call cannot do this: its first INSERT collides with the winner on that same
	-- primary key and rolls the whole thing back, which is why only the empty case was exposed.
	--
	-- Two independent guards, because either alone would have been enough and the cost of both is nil:
	--   * the append count -- appending nothing has nothing to write, so the correct number of statements
	--     is zero rather than one that happens to be harmless;
	--   * greatest(), so the write-back can never LOWER a stream's version whoever calls it. An append
	--     only ever moves a version forward, so this is a no-op on every correct path and a backstop on
	--     any future caller that reads the version and then writes it back.
	if not is_new_stream and COALESCE(array_length(event_ids, 1), 0) > 0 then
		update ledger.mt_streams set version = greatest(version, event_version), timestamp = now() where id = stream;
	end if;

	return return_value;
END
$$;


--
-- Name: mt_safe_unaccent(boolean, text); Type: FUNCTION; Schema: ledger; Owner: -
--

CREATE FUNCTION ledger.mt_safe_unaccent(use_unaccent boolean, word text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$
BEGIN
IF use_unaccent THEN
    RETURN public.unaccent(word);
ELSE
    RETURN word;
END IF;
END;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: account_margin; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.account_margin (
    account text NOT NULL,
    margin_ratio numeric,
    equity numeric NOT NULL,
    maintenance_margin numeric NOT NULL,
    free_collateral numeric NOT NULL,
    liquidatable text NOT NULL,
    positions bigint NOT NULL,
    notional numeric NOT NULL
);


--
-- Name: account_timeline; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.account_timeline (
    account text NOT NULL,
    global_position bigint NOT NULL,
    event_type text NOT NULL,
    equity_before numeric NOT NULL,
    equity_after numeric NOT NULL,
    maintenance_margin_before numeric NOT NULL,
    maintenance_margin_after numeric NOT NULL,
    margin_ratio_before numeric,
    margin_ratio_after numeric,
    free_collateral_after numeric NOT NULL,
    liquidatable_after text NOT NULL
);


--
-- Name: adl; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.adl (
    global_position bigint NOT NULL,
    liquidation_id text NOT NULL,
    liquidated_account text NOT NULL,
    counterparty text NOT NULL,
    symbol text NOT NULL,
    quantity numeric NOT NULL,
    price numeric NOT NULL,
    realized_pnl numeric NOT NULL,
    rank bigint NOT NULL,
    score numeric NOT NULL
);


--
-- Name: exposure; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.exposure (
    symbol text NOT NULL,
    mark_price numeric,
    long_open_interest numeric NOT NULL,
    short_open_interest numeric NOT NULL,
    long_notional numeric NOT NULL,
    short_notional numeric NOT NULL,
    long_holders bigint NOT NULL,
    short_holders bigint NOT NULL
);


--
-- Name: insurance_fund; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.insurance_fund (
    global_position bigint NOT NULL,
    kind text NOT NULL,
    liquidation_id text,
    account text,
    delta numeric NOT NULL,
    balance_after numeric NOT NULL
);


--
-- Name: journal; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.journal (
    global_position bigint NOT NULL,
    line bigint NOT NULL,
    event_type text NOT NULL,
    ledger_account text NOT NULL,
    asset text NOT NULL,
    amount numeric NOT NULL
);


--
-- Name: ledger_seals; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.ledger_seals (
    global_position bigint NOT NULL,
    seal character varying NOT NULL
);


--
-- Name: liquidation_ladder; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.liquidation_ladder (
    symbol text NOT NULL,
    direction text NOT NULL,
    level bigint NOT NULL,
    price_level numeric NOT NULL,
    positions bigint NOT NULL,
    quantity numeric NOT NULL,
    notional_at_level numeric NOT NULL
);


--
-- Name: liquidations; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.liquidations (
    liquidation_id text NOT NULL,
    account text NOT NULL,
    trigger_global_position bigint NOT NULL,
    trigger_symbol text NOT NULL,
    trigger_price numeric NOT NULL,
    outcome text NOT NULL,
    steps bigint NOT NULL,
    liquidated_notional numeric NOT NULL,
    insurance_fund_delta numeric NOT NULL,
    equity_before numeric NOT NULL
);


--
-- Name: margin_distribution; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.margin_distribution (
    band_order bigint NOT NULL,
    band text NOT NULL,
    accounts bigint NOT NULL,
    equity numeric NOT NULL,
    maintenance_margin numeric NOT NULL,
    notional numeric NOT NULL
);


--
-- Name: mt_doc_deadletterevent; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.mt_doc_deadletterevent (
    id uuid NOT NULL,
    data jsonb NOT NULL,
    mt_last_modified timestamp with time zone DEFAULT transaction_timestamp(),
    mt_version uuid DEFAULT (md5(((random())::text || (clock_timestamp())::text)))::uuid NOT NULL,
    mt_dotnet_type character varying
);


--
-- Name: mt_doc_ledger_command; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.mt_doc_ledger_command (
    id character varying NOT NULL,
    data jsonb NOT NULL,
    mt_last_modified timestamp with time zone DEFAULT transaction_timestamp(),
    mt_version uuid DEFAULT (md5(((random())::text || (clock_timestamp())::text)))::uuid NOT NULL,
    mt_dotnet_type character varying
);


--
-- Name: mt_event_progression; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.mt_event_progression (
    name character varying NOT NULL,
    last_seq_id bigint,
    last_updated timestamp with time zone DEFAULT transaction_timestamp(),
    mode character varying DEFAULT 'none'::character varying,
    rebuild_threshold integer DEFAULT 0,
    assigned_node integer DEFAULT 0,
    heartbeat timestamp with time zone,
    agent_status character varying(20),
    pause_reason text,
    running_on_node integer,
    warning_behind_threshold bigint,
    critical_behind_threshold bigint,
    failure_category character varying(50),
    failure_event_sequence bigint,
    failure_event_type character varying(500),
    failure_event_tenant_id character varying(500)
);


--
-- Name: mt_event_projection_floors; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.mt_event_projection_floors (
    name character varying NOT NULL,
    tenant_id character varying NOT NULL,
    floor bigint NOT NULL,
    last_updated timestamp with time zone DEFAULT transaction_timestamp()
);


--
-- Name: mt_events; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.mt_events (
    seq_id bigint NOT NULL,
    id uuid NOT NULL,
    stream_id character varying,
    version bigint NOT NULL,
    data jsonb NOT NULL,
    bdata bytea,
    type character varying(500) NOT NULL,
    "timestamp" timestamp with time zone DEFAULT '2026-11-26 17:12:23.075925+00'::timestamp with time zone NOT NULL,
    tenant_id character varying DEFAULT '*DEFAULT*'::character varying,
    mt_dotnet_type character varying,
    correlation_id character varying,
    causation_id character varying,
    headers jsonb,
    is_archived boolean DEFAULT false
);


--
-- Name: mt_events_sequence; Type: SEQUENCE; Schema: ledger; Owner: -
--

CREATE SEQUENCE ledger.mt_events_sequence
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: mt_events_sequence; Type: SEQUENCE OWNED BY; Schema: ledger; Owner: -
--

ALTER SEQUENCE ledger.mt_events_sequence OWNED BY ledger.mt_events.seq_id;


--
-- Name: mt_high_water_skips; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.mt_high_water_skips (
    ending_sequence bigint NOT NULL,
    starting_sequence bigint NOT NULL,
    "timestamp" timestamp with time zone DEFAULT transaction_timestamp()
);


--
-- Name: mt_streams; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.mt_streams (
    id character varying NOT NULL,
    type character varying,
    version bigint,
    "timestamp" timestamp with time zone DEFAULT now() NOT NULL,
    created timestamp with time zone DEFAULT now() NOT NULL,
    tenant_id character varying DEFAULT '*DEFAULT*'::character varying,
    compacted_version bigint DEFAULT 0 NOT NULL,
    is_archived boolean DEFAULT false
);


--
-- Name: trial_balance; Type: TABLE; Schema: ledger; Owner: -
--

CREATE TABLE ledger.trial_balance (
    ledger_account text NOT NULL,
    asset text NOT NULL,
    balance numeric NOT NULL
);


--
-- Name: account_margin; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.account_margin AS
 SELECT account_margin.account,
    account_margin.margin_ratio,
    account_margin.equity,
    account_margin.maintenance_margin,
    account_margin.free_collateral,
    account_margin.liquidatable,
    account_margin.positions,
    account_margin.notional
   FROM ledger.account_margin;


--
-- Name: account_timeline; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.account_timeline AS
 SELECT account_timeline.account,
    account_timeline.global_position,
    account_timeline.event_type,
    account_timeline.equity_before,
    account_timeline.equity_after,
    account_timeline.maintenance_margin_before,
    account_timeline.maintenance_margin_after,
    account_timeline.margin_ratio_before,
    account_timeline.margin_ratio_after,
    account_timeline.free_collateral_after,
    account_timeline.liquidatable_after
   FROM ledger.account_timeline;


--
-- Name: adl; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.adl AS
 SELECT adl.global_position,
    adl.liquidation_id,
    adl.liquidated_account,
    adl.counterparty,
    adl.symbol,
    adl.quantity,
    adl.price,
    adl.realized_pnl,
    adl.rank,
    adl.score
   FROM ledger.adl;


--
-- Name: at_risk; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.at_risk AS
 SELECT account_margin.account,
    account_margin.margin_ratio,
    account_margin.equity,
    account_margin.maintenance_margin,
    account_margin.free_collateral,
    account_margin.liquidatable,
    account_margin.positions,
    account_margin.notional
   FROM ledger.account_margin
  WHERE ((account_margin.positions > 0) AND ((account_margin.margin_ratio IS NULL) OR (account_margin.margin_ratio >= 0.8)));


--
-- Name: exposure; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.exposure AS
 SELECT exposure.symbol,
    exposure.mark_price,
    exposure.long_open_interest,
    exposure.short_open_interest,
    exposure.long_notional,
    exposure.short_notional,
    exposure.long_holders,
    exposure.short_holders
   FROM ledger.exposure;


--
-- Name: insurance_fund; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.insurance_fund AS
 SELECT insurance_fund.global_position,
    insurance_fund.kind,
    insurance_fund.liquidation_id,
    insurance_fund.account,
    insurance_fund.delta,
    insurance_fund.balance_after
   FROM ledger.insurance_fund;


--
-- Name: journal; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.journal AS
 SELECT journal.global_position,
    journal.line,
    journal.event_type,
    journal.ledger_account,
    journal.asset,
    journal.amount
   FROM ledger.journal;


--
-- Name: liquidation_ladder; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.liquidation_ladder AS
 SELECT liquidation_ladder.symbol,
    liquidation_ladder.direction,
    liquidation_ladder.level,
    liquidation_ladder.price_level,
    liquidation_ladder.positions,
    liquidation_ladder.quantity,
    liquidation_ladder.notional_at_level
   FROM ledger.liquidation_ladder;


--
-- Name: liquidations; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.liquidations AS
 SELECT liquidations.liquidation_id,
    liquidations.account,
    liquidations.trigger_global_position,
    liquidations.trigger_symbol,
    liquidations.trigger_price,
    liquidations.outcome,
    liquidations.steps,
    liquidations.liquidated_notional,
    liquidations.insurance_fund_delta,
    liquidations.equity_before
   FROM ledger.liquidations;


--
-- Name: margin_distribution; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.margin_distribution AS
 SELECT margin_distribution.band_order,
    margin_distribution.band,
    margin_distribution.accounts,
    margin_distribution.equity,
    margin_distribution.maintenance_margin,
    margin_distribution.notional
   FROM ledger.margin_distribution;


--
-- Name: seal_chain; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.seal_chain AS
 SELECT ledger_seals.global_position,
    ledger_seals.seal
   FROM ledger.ledger_seals;


--
-- Name: trial_balance; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.trial_balance AS
 SELECT trial_balance.ledger_account,
    trial_balance.asset,
    trial_balance.balance
   FROM ledger.trial_balance;


--
-- Name: trial_balance_totals; Type: VIEW; Schema: regulator; Owner: -
--

CREATE VIEW regulator.trial_balance_totals AS
 SELECT trial_balance.asset,
    sum(trial_balance.balance) AS total
   FROM ledger.trial_balance
  GROUP BY trial_balance.asset;


--
-- Data for Name: account_margin; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.account_margin (account, margin_ratio, equity, maintenance_margin, free_collateral, liquidatable, positions, notional) FROM stdin;
alice	0	0.000000000000000000156	0	0.000000000000000000156	false	0	0
bob	0.000842820391445762	62010.8394747629404088734	52.264	61749.5194747629404088734	false	1	13066
carol	0.009989640372946574	9459.8	94.5	9270.8	false	1	18900
dave	0.483272957666097572	413.522	199.844	-1584.918	false	1	49961
\.


--
-- Data for Name: account_timeline; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.account_timeline (account, global_position, event_type, equity_before, equity_after, maintenance_margin_before, maintenance_margin_after, margin_ratio_before, margin_ratio_after, free_collateral_after, liquidatable_after) FROM stdin;
alice	9	funds-deposited.v1	0	20000	0	0	\N	0	20000	false
bob	10	funds-deposited.v1	0	57000	0	0	\N	0	57000	false
carol	11	funds-deposited.v1	0	8000	0	0	\N	0	8000	false
alice	12	leverage-set.v1	20000	20000	0	0	0	0	20000	false
alice	13	trade-filled.v1	20000	19952	0	550	0	0.027566158781074579	13952	false
alice	15	trade-filled.v1	19952	19922	550	850	0.027566158781074579	0.04266639895592812	13322	false
bob	17	leverage-set.v1	57000	57000	0	0	0	0	57000	false
bob	18	trade-filled.v1	57000	56964	0	400	0	0.007021978793624043	55164	false
carol	20	trade-filled.v1	8000	7985	0	150	0	0.01878522229179712	7685	false
alice	24	trade-filled.v1	8922	8910.8	825	685	0.092468056489576328	0.076873008035193249	4080.8	false
carol	26	trade-filled.v1	9485	9459.8	157.5	94.5	0.016605166051660517	0.009989640372946574	9270.8	false
bob	29	funds-withdrawn.v1	57264	52134	370	370	0.006461302039675887	0.007097095945064641	50454	false
alice	31	trade-filled.v1	1410.8	1379.3	647.5	332.5	0.458959455628012475	0.241064307982309867	-2445.7	false
dave	33	funds-deposited.v1	0	25000	0	0	\N	0	25000	false
dave	34	leverage-set.v1	25000	25000	0	0	0	0	25000	false
dave	35	trade-filled.v1	25000	24877.6	0	1760	0	0.070746374248319774	12637.6	false
alice	38	liquidation-triggered.v1	-4620.7	-4620.7	302.5	302.5	\N	\N	-8145.7	true
alice	39	position-liquidated.v1	-4620.7	-3623.160525237059591126444	302.5	237.17	\N	\N	-6494.860525237059591126444	true
alice	41	position-liquidated.v1	-3623.160525237059591126444	-3052.625358016528925619626	237.17	199.844	\N	\N	-5550.675358016528925619626	true
bob	42	position-auto-deleveraged.v1	65634	65063.464832779469334493182	302.5	265.135	0.004608891732943292	0.004075021222454525	63802.924832779469334493182	false
alice	43	position-liquidated.v1	-3052.625358016528925619626	0.000000000000000000156	199.844	0	\N	0	0.000000000000000000156	false
bob	44	position-auto-deleveraged.v1	65063.464832779469334493182	62010.8394747629404088734	265.135	52.264	0.004075021222454525	0.000842820391445762	61749.5194747629404088734	false
alice	45	account-bankrupt.v1	0.000000000000000000156	0.000000000000000000156	0	0	0	0	0.000000000000000000156	false
dave	46	liquidation-triggered.v1	877.6	877.6	1520	1520	1.731996353691886964	1.731996353691886964	-10402.4	true
dave	47	position-liquidated.v1	877.6	813.586	1520	1199.965	1.731996353691886964	1.474908614455017663	-9186.134	true
dave	49	position-liquidated.v1	813.586	413.522	1199.965	199.844	1.474908614455017663	0.483272957666097572	-1584.918	false
dave	51	liquidation-completed.v1	413.522	413.522	199.844	199.844	0.483272957666097572	0.483272957666097572	-1584.918	false
\.


--
-- Data for Name: adl; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.adl (global_position, liquidation_id, liquidated_account, counterparty, symbol, quantity, price, realized_pnl, rank, score) FROM stdin;
42	alice#1	alice	bob	BTCUSDT	0.159	50588.271491953023053502	1496.464832779469334493182	1	0.232729987506475303
44	alice#1	alice	bob	BTCUSDT	1.063	49871.707768595041322314	10766.374641983471074380218	1	0.209885071984670554
\.


--
-- Data for Name: exposure; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.exposure (symbol, mark_price, long_open_interest, short_open_interest, long_notional, short_notional, long_holders, short_holders) FROM stdin;
BTCUSDT	47000	1.063	0.278	49961	13066	1	1
ETHUSDT	3150	0	6	0	18900	0	1
\.


--
-- Data for Name: insurance_fund; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.insurance_fund (global_position, kind, liquidation_id, account, delta, balance_after) FROM stdin;
7	deposit	\N	\N	1000	1000
39	payout	alice#1	alice	-997.539474762940408873556	2.460525237059591126444
47	fee	dave#1	dave	64.014	66.474525237059591126444
49	fee	dave#1	dave	400.064	466.538525237059591126444
\.


--
-- Data for Name: journal; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.journal (global_position, line, event_type, ledger_account, asset, amount) FROM stdin;
7	1	insurance-fund-deposited.v1	external:deposits	USDT	-1000
7	2	insurance-fund-deposited.v1	insurance-fund	USDT	1000
9	1	funds-deposited.v1	external:deposits	USDT	-20000
9	2	funds-deposited.v1	account:alice	USDT	20000
10	1	funds-deposited.v1	external:deposits	BTC	-1
10	2	funds-deposited.v1	account:bob	BTC	1
11	1	funds-deposited.v1	external:deposits	USDT	-8000
11	2	funds-deposited.v1	account:carol	USDT	8000
13	1	trade-filled.v1	account:alice	USDT	-48
13	2	trade-filled.v1	fee-account	USDT	48
15	1	trade-filled.v1	account:alice	USDT	-30
15	2	trade-filled.v1	fee-account	USDT	30
18	1	trade-filled.v1	account:bob	USDT	-36
18	2	trade-filled.v1	fee-account	USDT	36
20	1	trade-filled.v1	account:carol	USDT	-15
20	2	trade-filled.v1	fee-account	USDT	15
24	1	trade-filled.v1	market:realized-pnl	USDT	2000
24	2	trade-filled.v1	account:alice	USDT	-2000
24	3	trade-filled.v1	account:alice	USDT	-11.2
24	4	trade-filled.v1	fee-account	USDT	11.2
26	1	trade-filled.v1	market:realized-pnl	USDT	-1500
26	2	trade-filled.v1	account:carol	USDT	1500
26	3	trade-filled.v1	account:carol	USDT	-25.2
26	4	trade-filled.v1	fee-account	USDT	25.2
29	1	funds-withdrawn.v1	account:bob	BTC	-0.1
29	2	funds-withdrawn.v1	external:withdrawals	BTC	0.1
31	1	trade-filled.v1	market:realized-pnl	USDT	3000
31	2	trade-filled.v1	account:alice	USDT	-3000
31	3	trade-filled.v1	account:alice	USDT	-31.5
31	4	trade-filled.v1	fee-account	USDT	31.5
33	1	funds-deposited.v1	external:deposits	USDT	-25000
33	2	funds-deposited.v1	account:dave	USDT	25000
35	1	trade-filled.v1	account:dave	USDT	-122.4
35	2	trade-filled.v1	fee-account	USDT	122.4
39	1	position-liquidated.v1	market:realized-pnl	USDT	3614
39	2	position-liquidated.v1	account:alice	USDT	-3614
39	3	position-liquidated.v1	account:alice	USDT	997.539474762940408873556
39	4	position-liquidated.v1	insurance-fund	USDT	-997.539474762940408873556
41	1	position-liquidated.v1	market:realized-pnl	USDT	1496.464832779469334493182
41	2	position-liquidated.v1	account:alice	USDT	-1496.464832779469334493182
42	1	position-auto-deleveraged.v1	market:realized-pnl	USDT	-1496.464832779469334493182
42	2	position-auto-deleveraged.v1	account:bob	USDT	1496.464832779469334493182
43	1	position-liquidated.v1	market:realized-pnl	USDT	10766.374641983471074380218
43	2	position-liquidated.v1	account:alice	USDT	-10766.374641983471074380218
44	1	position-auto-deleveraged.v1	market:realized-pnl	USDT	-10766.374641983471074380218
44	2	position-auto-deleveraged.v1	account:bob	USDT	10766.374641983471074380218
47	1	position-liquidated.v1	market:realized-pnl	USDT	2724
47	2	position-liquidated.v1	account:dave	USDT	-2724
47	3	position-liquidated.v1	account:dave	USDT	-64.014
47	4	position-liquidated.v1	insurance-fund	USDT	64.014
49	1	position-liquidated.v1	market:realized-pnl	USDT	17024
49	2	position-liquidated.v1	account:dave	USDT	-17024
49	3	position-liquidated.v1	account:dave	USDT	-400.064
49	4	position-liquidated.v1	insurance-fund	USDT	400.064
\.


--
-- Data for Name: ledger_seals; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.ledger_seals (global_position, seal) FROM stdin;
1	006a25755abfd029de58195af6ecac81927cc827ed56a13a18cbebbedcc3b397
2	4768718c08a9e9fc690fcb46a3c5b1eec251566693948c585188bab6a44448d6
3	fecec3caba58d4b395dc67a84384e6df4ce806f33138ef2fff1f3e1fa5efe160
4	c5af550e347eb86f65358bceda74967942052abadf5a87a52889212defbfc4e6
5	18fd8306ee8545114cf3588c6cb616ad4febf649e1401ba386e6479e943ef03d
6	e3db4db580288a2829fdcb5b6547fd01434e0fa64796e0bcb1c5d70b63543c12
7	8ce11e7d98ca2c9466a42ad24976d7f56017113599ca046826eba4d6cbba65e4
8	bfbb4bee10a8b45510a8cef306b2e647d81c3d8a0c7d064a062c38d1e0ae4fb8
9	a772d106d2573189d815d070a65d59f58047e482ad93402316371d3d17aa27dc
10	c833f00e369998905e76501760fc52b286fad3e648faaa747557ab8fd7391ada
11	dcf5318b105e1fcb146e487eb1585ec87fc7ecb3c4638a112cecb9bea7728e86
12	f4ab19e857d3bce8f3c878b0303c2b89dd2fe67b82a4b96c6ddfb664353fd697
13	981d3d8b4da81acd86df1672450130595f8f9323784815d7ee62c206fed90ef1
14	cb9647e38b9008c54012ba2aa3cf1fdf729959647633af22dab1aacb55fc82ed
15	ff81e3585ad312a7f44d795abdf550d784c6a48cdeeed9ddcb9ae833d21910a5
16	ad1a28062ca84927ac88fe3ef91c6ce5bb65dc13f571f64331ac70243c2180a1
17	9f17b2444af6d2d578de038fce2e46f61cdf91e157fb670615d79970dd1a9a2b
18	75bddaede86a0930d73e90f49832946f28db4a6ad06275dc38d6e2c3e257dcbb
19	56a62bb4aef45bef6240aea68da77260f60b079de91cbe4e6012e730f15434e2
20	8d089e0bfcf7b130b2f29319f275edd2c5eeb3f3719902aea61113cb76796c6c
21	471d55ae362c4abbc8780662561c5522ea0534fd6d45997c96c849585ec94b85
22	a4fdaebdf5873eecf4b3b236c557b57148d56d60fa47847560bf1beaf76c6903
23	94cca043b801bae8196135a1a20bd88ff1769b6b695c9859ef3910b7f82d6a3d
24	edbc8fa0efb43fd4829bb65521755f089f640f3ea63c614de334f3121fb47e98
25	4ee821eb321b81aa704ffe86817646884402940ba3827cf89c2472d91cc85338
26	e897861da86c5f8e90fd3c84733cfbcdbcefe882ff52cf76a7d83c9fd033be54
27	42b6c49c0edb3c87d03d7e4b3fad4a59bfc85a714cc59aa58d0b6709bc6ce41c
28	d606b7f03c52392c155beec339b78399e2cd61ef55806f6d933518d6c5a395f3
29	87e42d425d2c0d966b394dc9e8f40a7fbe1cdefbc899b13957ac9ea41cba7181
30	4d85869a89f644f611cd5be90cc581a28d8c56c12da61874e00b264107686431
31	3eefecd3aeef8805e07a7157b6b2426b3a54ad793c3413497fe6b628852f481d
32	b7ecbf1e6979a371289970632bbe7585b6644f22db283675dc4b22c19add506f
33	d64f585db609bc9d62c2be1269d6ce37660f98531d8af80f0d00bcf57cc279c8
34	d6f9c3e0e56583edab03e68b044a5eb5e2f1000253393d21eb3272fdd1954e79
35	15ab52828a3e0711c32c5d4654c1951081ab1b54e682346a668fa72036f77645
36	0f3f7748cdc791e0c52d53397846a770a8eee547ecf1b69e55d542335e26c810
37	ad271e9a85385fdb5ef2cfd9aa2c2b22577c89c10e99c6a5b786bb2a458d0483
38	06f2c073992b1d870306202b9d1120a216ebf12952551125331aa67ec9b91302
39	ff08336ac925868c09e4683e25283971f170b560ab575076a31a89ad9ab37d01
40	a9a08df35a02604098a47660f4013a82a27686a8871774f50fca70500100d051
41	62a5e60b2839ccb9e99e0e124c6631d8dd3f619d870d68445fb5862f2e61df02
42	fb76989f2db9d0a15ad8f185b62746753842e95a6d545aa3aaf88eea24284d5b
43	251128f85bf845d7d55ae9a84e899a9582c8958d8e18934f62e85e48ff296ad4
44	0cbfc13bb4f122b9812f19c4cbeeba400a1817002520d33b3a34f176cbf76805
45	666fe0493a42f97e91df430a5e06d712d48815ccdd3863c6fbbde69b9e286385
46	e143e16e24af9370db63ec73de9358184db0388fb58520b872e5b9e1f788a6da
47	de59cd21d025466cdb310739c8d2d23e3fe4676f0b4ef87fc2fe6f0a4f847c84
48	aead469403770e6c82dadc1177a51e504cbf3e9b28b5e2fda5b9aee86ad7a166
49	0e8b2af531f246967e8af103714a8fc4fb953b90504663b5577148981cd88c82
50	832dadb8c4de9915e91a6ca40ec844a6e3e470e4e420defe59dca579109387a0
51	6f65be30b78c870cbab2174498e84a342af355d08acafe62a2c7a2d19f4fb45e
\.


--
-- Data for Name: liquidation_ladder; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.liquidation_ladder (symbol, direction, level, price_level, positions, quantity, notional_at_level) FROM stdin;
BTCUSDT	down	1	46530	1	1.063	49461.39
BTCUSDT	down	2	46060	1	1.063	48961.78
BTCUSDT	down	3	45590	1	1.063	48462.17
BTCUSDT	down	4	45120	1	1.063	47962.56
BTCUSDT	down	5	44650	1	1.063	47462.95
BTCUSDT	down	6	44180	1	1.063	46963.34
BTCUSDT	down	7	43710	1	1.063	46463.73
BTCUSDT	down	8	43240	1	1.063	45964.12
BTCUSDT	down	9	42770	1	1.063	45464.51
BTCUSDT	down	10	42300	1	1.063	44964.9
BTCUSDT	down	11	41830	1	1.063	44465.29
BTCUSDT	down	12	41360	1	1.063	43965.68
BTCUSDT	down	13	40890	1	1.063	43466.07
BTCUSDT	down	14	40420	1	1.063	42966.46
BTCUSDT	down	15	39950	1	1.063	42466.85
BTCUSDT	down	16	39480	1	1.063	41967.24
BTCUSDT	down	17	39010	1	1.063	41467.63
BTCUSDT	down	18	38540	1	1.063	40968.02
BTCUSDT	down	19	38070	1	1.063	40468.41
BTCUSDT	down	20	37600	1	1.063	39968.8
BTCUSDT	up	1	47470	0	0	0
BTCUSDT	up	2	47940	0	0	0
BTCUSDT	up	3	48410	0	0	0
BTCUSDT	up	4	48880	0	0	0
BTCUSDT	up	5	49350	0	0	0
BTCUSDT	up	6	49820	0	0	0
BTCUSDT	up	7	50290	0	0	0
BTCUSDT	up	8	50760	0	0	0
BTCUSDT	up	9	51230	0	0	0
BTCUSDT	up	10	51700	0	0	0
BTCUSDT	up	11	52170	0	0	0
BTCUSDT	up	12	52640	0	0	0
BTCUSDT	up	13	53110	0	0	0
BTCUSDT	up	14	53580	0	0	0
BTCUSDT	up	15	54050	0	0	0
BTCUSDT	up	16	54520	0	0	0
BTCUSDT	up	17	54990	0	0	0
BTCUSDT	up	18	55460	0	0	0
BTCUSDT	up	19	55930	0	0	0
BTCUSDT	up	20	56400	0	0	0
ETHUSDT	down	1	3118.5	0	0	0
ETHUSDT	down	2	3087	0	0	0
ETHUSDT	down	3	3055.5	0	0	0
ETHUSDT	down	4	3024	0	0	0
ETHUSDT	down	5	2992.5	0	0	0
ETHUSDT	down	6	2961	0	0	0
ETHUSDT	down	7	2929.5	0	0	0
ETHUSDT	down	8	2898	0	0	0
ETHUSDT	down	9	2866.5	0	0	0
ETHUSDT	down	10	2835	0	0	0
ETHUSDT	down	11	2803.5	0	0	0
ETHUSDT	down	12	2772	0	0	0
ETHUSDT	down	13	2740.5	0	0	0
ETHUSDT	down	14	2709	0	0	0
ETHUSDT	down	15	2677.5	0	0	0
ETHUSDT	down	16	2646	0	0	0
ETHUSDT	down	17	2614.5	0	0	0
ETHUSDT	down	18	2583	0	0	0
ETHUSDT	down	19	2551.5	0	0	0
ETHUSDT	down	20	2520	0	0	0
ETHUSDT	up	1	3181.5	0	0	0
ETHUSDT	up	2	3213	0	0	0
ETHUSDT	up	3	3244.5	0	0	0
ETHUSDT	up	4	3276	0	0	0
ETHUSDT	up	5	3307.5	0	0	0
ETHUSDT	up	6	3339	0	0	0
ETHUSDT	up	7	3370.5	0	0	0
ETHUSDT	up	8	3402	0	0	0
ETHUSDT	up	9	3433.5	0	0	0
ETHUSDT	up	10	3465	0	0	0
ETHUSDT	up	11	3496.5	0	0	0
ETHUSDT	up	12	3528	0	0	0
ETHUSDT	up	13	3559.5	0	0	0
ETHUSDT	up	14	3591	0	0	0
ETHUSDT	up	15	3622.5	0	0	0
ETHUSDT	up	16	3654	0	0	0
ETHUSDT	up	17	3685.5	0	0	0
ETHUSDT	up	18	3717	0	0	0
ETHUSDT	up	19	3748.5	0	0	0
ETHUSDT	up	20	3780	0	0	0
\.


--
-- Data for Name: liquidations; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.liquidations (liquidation_id, account, trigger_global_position, trigger_symbol, trigger_price, outcome, steps, liquidated_notional, insurance_fund_delta, equity_before) FROM stdin;
alice#1	alice	37	BTCUSDT	47000	bankrupt	3	70500	-997.539474762940408873556	-4620.7
dave#1	dave	37	BTCUSDT	47000	completed:healthy	2	232039	464.078	877.6
\.


--
-- Data for Name: margin_distribution; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.margin_distribution (band_order, band, accounts, equity, maintenance_margin, notional) FROM stdin;
1	[0, 0.1)	2	71470.6394747629404088734	146.764	31966
2	[0.1, 0.25)	0	0	0	0
3	[0.25, 0.5)	1	413.522	199.844	49961
4	[0.5, 0.75)	0	0	0	0
5	[0.75, 1)	0	0	0	0
6	[1, ∞) liquidatable	0	0	0	0
7	undefined (equity ≤ 0)	0	0	0	0
\.


--
-- Data for Name: mt_doc_deadletterevent; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.mt_doc_deadletterevent (id, data, mt_last_modified, mt_version, mt_dotnet_type) FROM stdin;
\.


--
-- Data for Name: mt_doc_ledger_command; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.mt_doc_ledger_command (id, data, mt_last_modified, mt_version, mt_dotnet_type) FROM stdin;
demo-001	{"id": "demo-001", "eventCount": 1, "payloadHash": "2aa5f0a19556c62486d0f49f7f04c6b16074796f71e2d1c072a7663827cb409c"}	2026-11-26 17:12:23.692892+00	01a218d8-1384-43ec-bdbc-9f12eb903fa3	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-002	{"id": "demo-002", "eventCount": 1, "payloadHash": "96713f435826b8ea5cd49062c258be2369c917f50fdadac131fc08ff9d16884d"}	2026-11-26 17:12:23.728336+00	01a218d8-13b0-41ef-87a1-57623b68565e	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-003	{"id": "demo-003", "eventCount": 1, "payloadHash": "4d48e9d6845c19b77c78ea0ed928669ad373d398f6061a16308d36b1c6790408"}	2026-11-26 17:12:23.74055+00	01a218d8-13bc-40c7-b6c0-c920da82effa	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-004	{"id": "demo-004", "eventCount": 1, "payloadHash": "7fb5823911c6d8e70964a13c679655b0f09fce19f1fec74265faa2b11b92aed9"}	2026-11-26 17:12:23.757958+00	01a218d8-13cd-4dd2-abf8-7caee221c7da	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-005	{"id": "demo-005", "eventCount": 1, "payloadHash": "65af45afdc5625577f1b4ecf489a576e46ad0ea87560350afcab037ee11786c6"}	2026-11-26 17:12:23.763346+00	01a218d8-13d3-4d2a-a7ef-17d42470aadc	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-006	{"id": "demo-006", "eventCount": 1, "payloadHash": "5f04f2b3d0004794d4d0c99bf5ebf79f9806140c69aba4dd8006996c0664e9ae"}	2026-11-26 17:12:23.770457+00	01a218d8-13da-4c95-9d73-73663c01109c	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-007	{"id": "demo-007", "eventCount": 1, "payloadHash": "37921487bc929a6edb5e311be9dfda9f8b414ae9a626d627026cc4581aded7e3"}	2026-11-26 17:12:23.777931+00	01a218d8-13e1-4b5c-9f47-f77b3be2d682	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-008	{"id": "demo-008", "eventCount": 1, "payloadHash": "1fbe152f5209f168803ad9e58ba63934893a4c27a8fbe8d2e96b865e1ce7b76c"}	2026-11-26 17:12:23.787074+00	01a218d8-13ea-4918-a89f-5e7b78796418	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-009	{"id": "demo-009", "eventCount": 1, "payloadHash": "f9e6d7a0bc21877fc68608edd64d3fecc9d273cbaf199bc954fb9e92dadc6294"}	2026-11-26 17:12:23.795886+00	01a218d8-13f3-414b-9790-0c2388ae1b5d	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-010	{"id": "demo-010", "eventCount": 1, "payloadHash": "720ea29e72f0ed693083f104085796ce991d8783a476358712e80f9cb0609c9b"}	2026-11-26 17:12:23.800547+00	01a218d8-13f8-4682-9306-1322092d9d10	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-011	{"id": "demo-011", "eventCount": 1, "payloadHash": "de25ec671ef622ee29e570cb0467e26c7b779402b56861c2d39b70fbdee3235a"}	2026-11-26 17:12:23.80428+00	01a218d8-13fc-48da-8863-0c002f1aa8a8	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-012	{"id": "demo-012", "eventCount": 1, "payloadHash": "9e86e579ff2e616bf4a3abe7866d786843f18f14b3369d701d55d846e34e045f"}	2026-11-26 17:12:23.815183+00	01a218d8-1407-4d53-a810-11dd02b86ef7	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-013	{"id": "demo-013", "eventCount": 2, "payloadHash": "6c970779cb439736e950318210edab230ae89978596743fff46f47627a8d7eb3"}	2026-11-26 17:12:23.832133+00	01a218d8-1417-4b23-a3be-157fb33fe1ca	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-014	{"id": "demo-014", "eventCount": 2, "payloadHash": "3a5f078152d700cb31b878c155e37b2d8861f6e5a714eff39ddcc41ac1aa38e4"}	2026-11-26 17:12:23.839761+00	01a218d8-141f-4fee-bc97-c91a33e70b15	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-016	{"id": "demo-016", "eventCount": 1, "payloadHash": "e4688ec7fb5b743e2602f52942033e4eb6d01e5e96d74f6ea295e1b101ca522a"}	2026-11-26 17:12:23.848289+00	01a218d8-1428-49a6-93f6-2a6994894cbf	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-017	{"id": "demo-017", "eventCount": 2, "payloadHash": "c0c96c4ea08d1f8299bb2ae50669a3645aeb52bf715952cf5ae9146325f31973"}	2026-11-26 17:12:23.852612+00	01a218d8-142c-408f-b2ab-46298fbe6ed3	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-018	{"id": "demo-018", "eventCount": 2, "payloadHash": "24e929eff81ac91a081c5cb0de13af6e97979bcb703c8ff8059e4a989323166a"}	2026-11-26 17:12:23.856698+00	01a218d8-1430-4bc8-b05f-e0d509384b0a	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-020	{"id": "demo-020", "eventCount": 1, "payloadHash": "ab1f6f3dc0036bebc762e872aba2eddac805363996701a06fe820487ed9424ab"}	2026-11-26 17:12:23.867161+00	01a218d8-143b-408c-86c0-484e92a4f7ab	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-021	{"id": "demo-021", "eventCount": 1, "payloadHash": "48a06b6d52ffb5eec869d744c333be302592f78de512a2a0ea2d51bdbd072b46"}	2026-11-26 17:12:23.871176+00	01a218d8-143f-4b23-a52c-47e92852189c	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-022	{"id": "demo-022", "eventCount": 2, "payloadHash": "1fd388f3ac2d1eb22846002961c98ebf826ef58f17c03e0f9a1eb9f64bdd5d1e"}	2026-11-26 17:12:23.877401+00	01a218d8-1445-436f-89ab-4f472a7ac931	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-023	{"id": "demo-023", "eventCount": 2, "payloadHash": "402227d94535a74b10d3c97cb931f066decd50dd88189a53b1e5d68d3788e071"}	2026-11-26 17:12:23.882229+00	01a218d8-144a-4d36-8da5-225ffa31dfc7	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-024	{"id": "demo-024", "eventCount": 1, "payloadHash": "5687457263446955c0cd16f97531794815002bfd5dd3a284d51ddf4f6a9631ee"}	2026-11-26 17:12:23.887737+00	01a218d8-144f-4c81-8ff1-40e84f9567f9	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-025	{"id": "demo-025", "eventCount": 1, "payloadHash": "08b4cae484d56451f0760a7f424997338248d004abf7bd5509225fac44da2d14"}	2026-11-26 17:12:23.893741+00	01a218d8-1455-48f1-b42a-61cd5a738dbb	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-027	{"id": "demo-027", "eventCount": 1, "payloadHash": "2daa66d4c8fa9d397e8b3cc76d9210bd6698ab2236bdac5a99b4f5f046739929"}	2026-11-26 17:12:23.916169+00	01a218d8-146c-4163-b85b-543304277aef	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-028	{"id": "demo-028", "eventCount": 2, "payloadHash": "c12330bc7db0be06f87263deed73516c9643ccafa2ab15a0a1065fa0f44f10cf"}	2026-11-26 17:12:23.920746+00	01a218d8-1470-4989-80a4-7b5f4688807f	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-029	{"id": "demo-029", "eventCount": 1, "payloadHash": "a8645bfb64b578d2908a327cd7052e8e2e25509ad13814a8da85f0506ff78e21"}	2026-11-26 17:12:23.924717+00	01a218d8-1474-488c-9c77-97b21e976a30	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-030	{"id": "demo-030", "eventCount": 1, "payloadHash": "71d04890d3f171a87575bdc53a6bedc1f224ef49f86c4187d45c2faa3e888513"}	2026-11-26 17:12:23.92876+00	01a218d8-1478-40b0-930a-0cf4a54e6ced	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-031	{"id": "demo-031", "eventCount": 2, "payloadHash": "3efe8717a2e46a23e37f0559d1c2e6bbff947c54283f3a08ef33cf582be17dcf"}	2026-11-26 17:12:23.932928+00	01a218d8-147c-4016-8eb4-85075a94d9ea	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
demo-032	{"id": "demo-032", "eventCount": 15, "payloadHash": "60bfe083ed82b66dccd298f7d4ea6519f817d6dc0c8e8ed529df5139acfc4ac0"}	2026-11-26 17:12:23.96867+00	01a218d8-14a0-4c27-a248-3a5643edbbf0	CrossMargin.Ledger.EventStore.Postgres.CommandRecord
\.


--
-- Data for Name: mt_event_progression; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.mt_event_progression (name, last_seq_id, last_updated, mode, rebuild_threshold, assigned_node, heartbeat, agent_status, pause_reason, running_on_node, warning_behind_threshold, critical_behind_threshold, failure_category, failure_event_sequence, failure_event_type, failure_event_tenant_id) FROM stdin;
HighWaterMark	51	2026-11-26 17:12:24.183278+00	none	0	0	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N
HighWaterAllocationFence	51	2026-11-26 17:12:24.191796+00	none	0	0	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N
read-models:All	51	2026-11-26 17:12:24.150775+00	none	0	0	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N
seal-chain:All	51	2026-11-26 17:12:24.170818+00	none	0	0	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N
\.


--
-- Data for Name: mt_event_projection_floors; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.mt_event_projection_floors (name, tenant_id, floor, last_updated) FROM stdin;
\.


--
-- Data for Name: mt_events; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.mt_events (seq_id, id, stream_id, version, data, bdata, type, "timestamp", tenant_id, mt_dotnet_type, correlation_id, causation_id, headers, is_archived) FROM stdin;
1	d9264cf8-c604-8994-8848-ba271eebd33a	instrument-BTCUSDT	1	{"base": "BTC", "quote": "USDT", "tiers": [{"cap": "50000", "mmr": "0.004", "floor": "0", "maxLeverage": "125", "maintenanceAmount": "0"}, {"cap": "250000", "mmr": "0.005", "floor": "50000", "maxLeverage": "100", "maintenanceAmount": "50"}, {"cap": "1000000", "mmr": "0.01", "floor": "250000", "maxLeverage": "50", "maintenanceAmount": "1300"}, {"cap": "10000000", "mmr": "0.025", "floor": "1000000", "maxLeverage": "20", "maintenanceAmount": "16300"}, {"cap": null, "mmr": "0.05", "floor": "10000000", "maxLeverage": "10", "maintenanceAmount": "266300"}], "symbol": "BTCUSDT", "tickSize": "0.1", "quantityStep": "0.001", "takerFeeRate": "0.0004", "liquidationFeeRate": "0.002"}	\N	instrument-listed.v1	2026-11-26 17:12:23.660057+00	*DEFAULT*	CrossMargin.Ledger.Events.InstrumentListed, CrossMargin.Ledger	demo-001	demo-001	{"hash": "ea98f3b79cf9c615a2dd8a407c0c89dcb39f48e2a0801e279e729fa68eeef4ba", "actor": "demo", "prevHash": "0000000000000000000000000000000000000000000000000000000000000000", "commandId": "demo-001", "recordedAt": "2026-01-05T09:00:00.0000000Z"}	f
2	feb642e0-345b-8b98-bcb9-51436266da2f	instrument-ETHUSDT	1	{"base": "ETH", "quote": "USDT", "tiers": [{"cap": "100000", "mmr": "0.005", "floor": "0", "maxLeverage": "100", "maintenanceAmount": "0"}, {"cap": "500000", "mmr": "0.0065", "floor": "100000", "maxLeverage": "75", "maintenanceAmount": "150"}, {"cap": null, "mmr": "0.01", "floor": "500000", "maxLeverage": "50", "maintenanceAmount": "1900"}], "symbol": "ETHUSDT", "tickSize": "0.01", "quantityStep": "0.01", "takerFeeRate": "0.0005", "liquidationFeeRate": "0.005"}	\N	instrument-listed.v1	2026-11-26 17:12:23.727744+00	*DEFAULT*	CrossMargin.Ledger.Events.InstrumentListed, CrossMargin.Ledger	demo-002	demo-002	{"hash": "755e46cbb2765ac85d8dc847507e02274d4df2805678b0ee954cf3d736109341", "actor": "demo", "prevHash": "0000000000000000000000000000000000000000000000000000000000000000", "commandId": "demo-002", "recordedAt": "2026-01-05T09:01:00.0000000Z"}	f
3	aa2607fa-8d69-82ae-b797-88b13165f2e4	asset-BTC	1	{"asset": "BTC", "ratios": [{"floor": "0", "ratio": "0.95"}, {"floor": "1000000", "ratio": "0.9"}]}	\N	collateral-listed.v1	2026-11-26 17:12:23.739898+00	*DEFAULT*	CrossMargin.Ledger.Events.CollateralListed, CrossMargin.Ledger	demo-003	demo-003	{"hash": "cfee47cdeb7a969d8c51bb269a2910d2904ed3e8428fbd72958496ab82fecd67", "actor": "demo", "prevHash": "0000000000000000000000000000000000000000000000000000000000000000", "commandId": "demo-003", "recordedAt": "2026-01-05T09:02:00.0000000Z"}	f
4	5e8c99e9-afd4-808f-80a2-eb69080f7caa	instrument-BTCUSDT	2	{"price": "60000", "symbol": "BTCUSDT"}	\N	mark-price-updated.v1	2026-11-26 17:12:23.757207+00	*DEFAULT*	CrossMargin.Ledger.Events.MarkPriceUpdated, CrossMargin.Ledger	demo-004	demo-004	{"hash": "cfde6cf859ed69b90039ac0f266e370a8929102d53aa58cfa7e84c8984824b58", "actor": "demo", "prevHash": "ea98f3b79cf9c615a2dd8a407c0c89dcb39f48e2a0801e279e729fa68eeef4ba", "commandId": "demo-004", "recordedAt": "2026-01-05T09:03:00.0000000Z"}	f
5	4ec0406d-026b-8bfb-90ce-c841236fafc6	instrument-ETHUSDT	2	{"price": "3000", "symbol": "ETHUSDT"}	\N	mark-price-updated.v1	2026-11-26 17:12:23.763094+00	*DEFAULT*	CrossMargin.Ledger.Events.MarkPriceUpdated, CrossMargin.Ledger	demo-005	demo-005	{"hash": "962975e47e2eb3a1d5859ef67970f5b1399bc08e41c98903e0c2fa06be89deb5", "actor": "demo", "prevHash": "755e46cbb2765ac85d8dc847507e02274d4df2805678b0ee954cf3d736109341", "commandId": "demo-005", "recordedAt": "2026-01-05T09:04:00.0000000Z"}	f
6	38803ac7-e356-8bb2-976e-454f53f9615b	asset-BTC	2	{"asset": "BTC", "price": "60000"}	\N	index-price-updated.v1	2026-11-26 17:12:23.770017+00	*DEFAULT*	CrossMargin.Ledger.Events.IndexPriceUpdated, CrossMargin.Ledger	demo-006	demo-006	{"hash": "3fb905e9ad38f74d1a6f3caa37d8ca02b4c16c3a1a5a5bf974156ef1361ae22f", "actor": "demo", "prevHash": "cfee47cdeb7a969d8c51bb269a2910d2904ed3e8428fbd72958496ab82fecd67", "commandId": "demo-006", "recordedAt": "2026-01-05T09:05:00.0000000Z"}	f
7	8e088652-24cb-8874-93a2-b3ced81447c2	insurance-fund	1	{"asset": "USDT", "amount": "1000"}	\N	insurance-fund-deposited.v1	2026-11-26 17:12:23.777575+00	*DEFAULT*	CrossMargin.Ledger.Events.InsuranceFundDeposited, CrossMargin.Ledger	demo-007	demo-007	{"hash": "589faa96420a071968569cbf63d8c6bfc9b64c776dcb72fa7bcf920d9a0ce884", "actor": "demo", "prevHash": "0000000000000000000000000000000000000000000000000000000000000000", "commandId": "demo-007", "recordedAt": "2026-01-05T09:06:00.0000000Z"}	f
8	2653eaa7-857c-866d-a471-bf95e53bdf53	venue	1	{"buffer": "0.05", "deficitPolicy": "adl"}	\N	liquidation-policy-set.v1	2026-11-26 17:12:23.786703+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.LiquidationPolicySet, CrossMargin.Ledger	demo-008	demo-008	{"hash": "960fc08f8e90aa1bb8af2c9b2ea5c1db76fd00968760cd8c1bb3809da1694008", "actor": "demo", "prevHash": "0000000000000000000000000000000000000000000000000000000000000000", "commandId": "demo-008", "recordedAt": "2026-01-05T09:07:00.0000000Z"}	f
9	3d9e6b14-7e02-8d34-b217-beb51c6b2372	account-alice	1	{"asset": "USDT", "amount": "20000", "account": "alice", "balanceAfter": "20000"}	\N	funds-deposited.v1	2026-11-26 17:12:23.795483+00	*DEFAULT*	CrossMargin.Ledger.Events.FundsDeposited, CrossMargin.Ledger	demo-009	demo-009	{"hash": "7ff1dbd6096b515447982c69bb26e091e60870140bf3e7e75995f58bc008f946", "actor": "demo", "prevHash": "0000000000000000000000000000000000000000000000000000000000000000", "commandId": "demo-009", "recordedAt": "2026-01-05T09:08:00.0000000Z"}	f
10	45db5fac-7b15-844d-b00e-9260bc6bf701	account-bob	1	{"asset": "BTC", "amount": "1", "account": "bob", "balanceAfter": "1"}	\N	funds-deposited.v1	2026-11-26 17:12:23.800341+00	*DEFAULT*	CrossMargin.Ledger.Events.FundsDeposited, CrossMargin.Ledger	demo-010	demo-010	{"hash": "b60158211b860f43f61a48d7e15301f44cbb0867dfff3074d9e14999d735f1eb", "actor": "demo", "prevHash": "0000000000000000000000000000000000000000000000000000000000000000", "commandId": "demo-010", "recordedAt": "2026-01-05T09:09:00.0000000Z"}	f
11	72d86f0b-10a9-8c2c-b1e4-42e3a0324818	account-carol	1	{"asset": "USDT", "amount": "8000", "account": "carol", "balanceAfter": "8000"}	\N	funds-deposited.v1	2026-11-26 17:12:23.804083+00	*DEFAULT*	CrossMargin.Ledger.Events.FundsDeposited, CrossMargin.Ledger	demo-011	demo-011	{"hash": "43546c9c7a967d7e5214113c9a715b7de0e8f0fcc3fe1742f466bfd6752431f9", "actor": "demo", "prevHash": "0000000000000000000000000000000000000000000000000000000000000000", "commandId": "demo-011", "recordedAt": "2026-01-05T09:10:00.0000000Z"}	f
12	aaf2c3b5-e2ca-82c5-8b35-8896718e1770	account-alice	2	{"symbol": "BTCUSDT", "account": "alice", "leverage": "20"}	\N	leverage-set.v1	2026-11-26 17:12:23.814806+00	*DEFAULT*	CrossMargin.Ledger.Events.LeverageSet, CrossMargin.Ledger	demo-012	demo-012	{"hash": "d28c30c1514b86ca084cfac982ac7ffef97b5ff279add391469c190ae8857228", "actor": "demo", "prevHash": "7ff1dbd6096b515447982c69bb26e091e60870140bf3e7e75995f58bc008f946", "commandId": "demo-012", "recordedAt": "2026-01-05T09:11:00.0000000Z"}	f
13	b54a546c-e47c-8a28-8046-6a01a97d773d	account-alice	3	{"fee": "48", "side": "long", "price": "60000", "effect": "open", "symbol": "BTCUSDT", "account": "alice", "feeAsset": "USDT", "quantity": "2", "sizeAfter": "2", "sizeBefore": "0", "realizedPnl": "0", "entryPriceAfter": "60000", "entryPriceBefore": "0"}	\N	trade-filled.v1	2026-11-26 17:12:23.831589+00	*DEFAULT*	CrossMargin.Ledger.Events.TradeFilled, CrossMargin.Ledger	demo-013	demo-013	{"hash": "0d130d4bf98fa9639d7e286b98d7240493be44803cdc9283b4cd3a49f7e40ec8", "actor": "demo", "prevHash": "d28c30c1514b86ca084cfac982ac7ffef97b5ff279add391469c190ae8857228", "commandId": "demo-013", "recordedAt": "2026-01-05T09:12:00.0000000Z"}	f
14	d3e54bf8-5f50-8f85-bba8-de395b260237	fee-account	1	{"asset": "USDT", "amount": "48", "symbol": "BTCUSDT", "account": "alice"}	\N	trading-fee-collected.v1	2026-11-26 17:12:23.831627+00	*DEFAULT*	CrossMargin.Ledger.Events.TradingFeeCollected, CrossMargin.Ledger	demo-013	demo-013	{"hash": "0c856c51ee96172a8ded16ae66df08327ce473600cb38bceda69a6b30b815169", "actor": "demo", "prevHash": "0000000000000000000000000000000000000000000000000000000000000000", "commandId": "demo-013", "recordedAt": "2026-01-05T09:12:00.0000000Z"}	f
15	f1226c6d-034e-88df-b0e0-bee6b9330ac2	account-alice	4	{"fee": "30", "side": "short", "price": "3000", "effect": "open", "symbol": "ETHUSDT", "account": "alice", "feeAsset": "USDT", "quantity": "20", "sizeAfter": "-20", "sizeBefore": "0", "realizedPnl": "0", "entryPriceAfter": "3000", "entryPriceBefore": "0"}	\N	trade-filled.v1	2026-11-26 17:12:23.839461+00	*DEFAULT*	CrossMargin.Ledger.Events.TradeFilled, CrossMargin.Ledger	demo-014	demo-014	{"hash": "4fca225349a0330d5554ee01279aa0e55724c714a3b1abf9e756933ca3149c6c", "actor": "demo", "prevHash": "0d130d4bf98fa9639d7e286b98d7240493be44803cdc9283b4cd3a49f7e40ec8", "commandId": "demo-014", "recordedAt": "2026-01-05T09:13:00.0000000Z"}	f
16	ee863ffb-4dc3-8975-9eda-3ff02ff27df3	fee-account	2	{"asset": "USDT", "amount": "30", "symbol": "ETHUSDT", "account": "alice"}	\N	trading-fee-collected.v1	2026-11-26 17:12:23.839472+00	*DEFAULT*	CrossMargin.Ledger.Events.TradingFeeCollected, CrossMargin.Ledger	demo-014	demo-014	{"hash": "b43862e81fb4aa27d36aa19bfcfba16c0cb2d3aaa664043ea3f25129e899ec49", "actor": "demo", "prevHash": "0c856c51ee96172a8ded16ae66df08327ce473600cb38bceda69a6b30b815169", "commandId": "demo-014", "recordedAt": "2026-01-05T09:13:00.0000000Z"}	f
17	ff0af133-cea0-8c6b-bb08-2e58fc1e22c2	account-bob	2	{"symbol": "BTCUSDT", "account": "bob", "leverage": "50"}	\N	leverage-set.v1	2026-11-26 17:12:23.848057+00	*DEFAULT*	CrossMargin.Ledger.Events.LeverageSet, CrossMargin.Ledger	demo-016	demo-016	{"hash": "a9eb48a63b5ee8805d0f64fd192b99fad9f67f55ae05f7973fefef85a22cf683", "actor": "demo", "prevHash": "b60158211b860f43f61a48d7e15301f44cbb0867dfff3074d9e14999d735f1eb", "commandId": "demo-016", "recordedAt": "2026-01-05T09:15:00.0000000Z"}	f
18	846c1550-2cb9-8e5c-901d-18a7f0b7ef79	account-bob	3	{"fee": "36", "side": "short", "price": "60000", "effect": "open", "symbol": "BTCUSDT", "account": "bob", "feeAsset": "USDT", "quantity": "1.5", "sizeAfter": "-1.5", "sizeBefore": "0", "realizedPnl": "0", "entryPriceAfter": "60000", "entryPriceBefore": "0"}	\N	trade-filled.v1	2026-11-26 17:12:23.852366+00	*DEFAULT*	CrossMargin.Ledger.Events.TradeFilled, CrossMargin.Ledger	demo-017	demo-017	{"hash": "11417a83e0d1be0e2aceca458c81584804f615392c09f931d08744e8c468b81d", "actor": "demo", "prevHash": "a9eb48a63b5ee8805d0f64fd192b99fad9f67f55ae05f7973fefef85a22cf683", "commandId": "demo-017", "recordedAt": "2026-01-05T09:16:00.0000000Z"}	f
19	4dce0d1e-74d1-8fdd-abb2-23b6f7e163db	fee-account	3	{"asset": "USDT", "amount": "36", "symbol": "BTCUSDT", "account": "bob"}	\N	trading-fee-collected.v1	2026-11-26 17:12:23.852374+00	*DEFAULT*	CrossMargin.Ledger.Events.TradingFeeCollected, CrossMargin.Ledger	demo-017	demo-017	{"hash": "f105612e196018cffe61e75f42396cd3fba16fe64774da4e479bfeeea35d1e73", "actor": "demo", "prevHash": "b43862e81fb4aa27d36aa19bfcfba16c0cb2d3aaa664043ea3f25129e899ec49", "commandId": "demo-017", "recordedAt": "2026-01-05T09:16:00.0000000Z"}	f
20	d21bbcfc-681d-8d30-8cf6-2c2ca1c0c3db	account-carol	2	{"fee": "15", "side": "long", "price": "3000", "effect": "open", "symbol": "ETHUSDT", "account": "carol", "feeAsset": "USDT", "quantity": "10", "sizeAfter": "10", "sizeBefore": "0", "realizedPnl": "0", "entryPriceAfter": "3000", "entryPriceBefore": "0"}	\N	trade-filled.v1	2026-11-26 17:12:23.856466+00	*DEFAULT*	CrossMargin.Ledger.Events.TradeFilled, CrossMargin.Ledger	demo-018	demo-018	{"hash": "ef821edeb6b7406c5374b137e0e32d868d2bbe585929dca8c8fe485c61221e79", "actor": "demo", "prevHash": "43546c9c7a967d7e5214113c9a715b7de0e8f0fcc3fe1742f466bfd6752431f9", "commandId": "demo-018", "recordedAt": "2026-01-05T09:17:00.0000000Z"}	f
21	bf0cafd1-89a4-8313-8ef0-eb783c23d6a6	fee-account	4	{"asset": "USDT", "amount": "15", "symbol": "ETHUSDT", "account": "carol"}	\N	trading-fee-collected.v1	2026-11-26 17:12:23.856473+00	*DEFAULT*	CrossMargin.Ledger.Events.TradingFeeCollected, CrossMargin.Ledger	demo-018	demo-018	{"hash": "866ac83274ec18e17b2b599b7eb67de51cb3233c76feb24ace0c9cf6db0daf65", "actor": "demo", "prevHash": "f105612e196018cffe61e75f42396cd3fba16fe64774da4e479bfeeea35d1e73", "commandId": "demo-018", "recordedAt": "2026-01-05T09:17:00.0000000Z"}	f
22	5c51250c-be75-8812-8ac4-fbe49a1a58cb	instrument-BTCUSDT	3	{"price": "56000", "symbol": "BTCUSDT"}	\N	mark-price-updated.v1	2026-11-26 17:12:23.866932+00	*DEFAULT*	CrossMargin.Ledger.Events.MarkPriceUpdated, CrossMargin.Ledger	demo-020	demo-020	{"hash": "5befc7424d409b07947f4e36ee74b26d3444a2d386e1375ba9af7ac7c820736c", "actor": "demo", "prevHash": "cfde6cf859ed69b90039ac0f266e370a8929102d53aa58cfa7e84c8984824b58", "commandId": "demo-020", "recordedAt": "2026-01-05T09:19:00.0000000Z"}	f
23	e85924e5-285b-8031-9817-bea15d4ae74c	instrument-ETHUSDT	3	{"price": "3150", "symbol": "ETHUSDT"}	\N	mark-price-updated.v1	2026-11-26 17:12:23.870966+00	*DEFAULT*	CrossMargin.Ledger.Events.MarkPriceUpdated, CrossMargin.Ledger	demo-021	demo-021	{"hash": "986823a24ad157eab6d31e353e2061cd8fb0f26a2c6ebd260333163295cdac32", "actor": "demo", "prevHash": "962975e47e2eb3a1d5859ef67970f5b1399bc08e41c98903e0c2fa06be89deb5", "commandId": "demo-021", "recordedAt": "2026-01-05T09:20:00.0000000Z"}	f
24	8ec7e88f-1a7c-81b3-a386-3a78a9c4c01f	account-alice	5	{"fee": "11.2", "side": "short", "price": "56000", "effect": "reduce", "symbol": "BTCUSDT", "account": "alice", "feeAsset": "USDT", "quantity": "0.5", "sizeAfter": "1.5", "sizeBefore": "2", "realizedPnl": "-2000", "entryPriceAfter": "60000", "entryPriceBefore": "60000"}	\N	trade-filled.v1	2026-11-26 17:12:23.877145+00	*DEFAULT*	CrossMargin.Ledger.Events.TradeFilled, CrossMargin.Ledger	demo-022	demo-022	{"hash": "6bfc7ccd25747504cbaf5cef8acd40e7ba2b18abb32da02bade1dc6a5f557e92", "actor": "demo", "prevHash": "4fca225349a0330d5554ee01279aa0e55724c714a3b1abf9e756933ca3149c6c", "commandId": "demo-022", "recordedAt": "2026-01-05T09:21:00.0000000Z"}	f
25	8068661b-41a1-880e-bed9-e73d8d013fee	fee-account	5	{"asset": "USDT", "amount": "11.2", "symbol": "BTCUSDT", "account": "alice"}	\N	trading-fee-collected.v1	2026-11-26 17:12:23.877164+00	*DEFAULT*	CrossMargin.Ledger.Events.TradingFeeCollected, CrossMargin.Ledger	demo-022	demo-022	{"hash": "718ca961de360c07cf313223a6d97145ac9ca2e11cfb57a5c2e761ab5bc119f6", "actor": "demo", "prevHash": "866ac83274ec18e17b2b599b7eb67de51cb3233c76feb24ace0c9cf6db0daf65", "commandId": "demo-022", "recordedAt": "2026-01-05T09:21:00.0000000Z"}	f
26	272c8791-ad09-8614-adf6-d6281adb9baf	account-carol	3	{"fee": "25.2", "side": "short", "price": "3150", "effect": "flip", "symbol": "ETHUSDT", "account": "carol", "feeAsset": "USDT", "quantity": "16", "sizeAfter": "-6", "sizeBefore": "10", "realizedPnl": "1500", "entryPriceAfter": "3150", "entryPriceBefore": "3000"}	\N	trade-filled.v1	2026-11-26 17:12:23.88195+00	*DEFAULT*	CrossMargin.Ledger.Events.TradeFilled, CrossMargin.Ledger	demo-023	demo-023	{"hash": "88982614aaaf36b6c322c19deb997e792d9469219a3190bcf97b466245e96d17", "actor": "demo", "prevHash": "ef821edeb6b7406c5374b137e0e32d868d2bbe585929dca8c8fe485c61221e79", "commandId": "demo-023", "recordedAt": "2026-01-05T09:22:00.0000000Z"}	f
27	c4ac8964-17f6-86ec-9a41-02e7d5f640ae	fee-account	6	{"asset": "USDT", "amount": "25.2", "symbol": "ETHUSDT", "account": "carol"}	\N	trading-fee-collected.v1	2026-11-26 17:12:23.881957+00	*DEFAULT*	CrossMargin.Ledger.Events.TradingFeeCollected, CrossMargin.Ledger	demo-023	demo-023	{"hash": "035adbb2a5d7ca49244579043caee5b37389ff185d151186a64311f971458b6f", "actor": "demo", "prevHash": "718ca961de360c07cf313223a6d97145ac9ca2e11cfb57a5c2e761ab5bc119f6", "commandId": "demo-023", "recordedAt": "2026-01-05T09:22:00.0000000Z"}	f
28	7a185f01-139e-80d2-997b-995c45582b7c	asset-BTC	3	{"asset": "BTC", "price": "54000"}	\N	index-price-updated.v1	2026-11-26 17:12:23.887532+00	*DEFAULT*	CrossMargin.Ledger.Events.IndexPriceUpdated, CrossMargin.Ledger	demo-024	demo-024	{"hash": "7b1cf97e97d9abe9f77e7b887aa40ceb76b9be8024ae1e1172273354023343e8", "actor": "demo", "prevHash": "3fb905e9ad38f74d1a6f3caa37d8ca02b4c16c3a1a5a5bf974156ef1361ae22f", "commandId": "demo-024", "recordedAt": "2026-01-05T09:23:00.0000000Z"}	f
29	78b8f61f-1b7b-8ae5-b7c8-9c2662b8e160	account-bob	4	{"asset": "BTC", "amount": "0.1", "account": "bob", "balanceAfter": "0.9"}	\N	funds-withdrawn.v1	2026-11-26 17:12:23.892329+00	*DEFAULT*	CrossMargin.Ledger.Events.FundsWithdrawn, CrossMargin.Ledger	demo-025	demo-025	{"hash": "630df02dc163bd3c5431fd3d3b3b681dcdbef756580d7c8d7d651c061ac06667", "actor": "demo", "prevHash": "11417a83e0d1be0e2aceca458c81584804f615392c09f931d08744e8c468b81d", "commandId": "demo-025", "recordedAt": "2026-01-05T09:24:00.0000000Z"}	f
30	1c301e7c-ba01-8cdf-b490-8c7e7f28176b	instrument-BTCUSDT	4	{"price": "51000", "symbol": "BTCUSDT"}	\N	mark-price-updated.v1	2026-11-26 17:12:23.915898+00	*DEFAULT*	CrossMargin.Ledger.Events.MarkPriceUpdated, CrossMargin.Ledger	demo-027	demo-027	{"hash": "e1289c18a1090e9f9fd35243ec0672ac8fcaaecc9eafe988fd112b355f5e8c4c", "actor": "demo", "prevHash": "5befc7424d409b07947f4e36ee74b26d3444a2d386e1375ba9af7ac7c820736c", "commandId": "demo-027", "recordedAt": "2026-01-05T09:26:00.0000000Z"}	f
31	dd4e5833-6057-8e3d-b4b0-5bf83e12d973	account-alice	6	{"fee": "31.5", "side": "long", "price": "3150", "effect": "close", "symbol": "ETHUSDT", "account": "alice", "feeAsset": "USDT", "quantity": "20", "sizeAfter": "0", "sizeBefore": "-20", "realizedPnl": "-3000", "entryPriceAfter": "0", "entryPriceBefore": "3000"}	\N	trade-filled.v1	2026-11-26 17:12:23.92048+00	*DEFAULT*	CrossMargin.Ledger.Events.TradeFilled, CrossMargin.Ledger	demo-028	demo-028	{"hash": "966ad68e8bf4adf941766a9291d3ba087e954e49f9ba5341c027555be225c4e3", "actor": "demo", "prevHash": "6bfc7ccd25747504cbaf5cef8acd40e7ba2b18abb32da02bade1dc6a5f557e92", "commandId": "demo-028", "recordedAt": "2026-01-05T09:27:00.0000000Z"}	f
32	36d35140-991c-8519-80ed-5dd833ad7dee	fee-account	7	{"asset": "USDT", "amount": "31.5", "symbol": "ETHUSDT", "account": "alice"}	\N	trading-fee-collected.v1	2026-11-26 17:12:23.92049+00	*DEFAULT*	CrossMargin.Ledger.Events.TradingFeeCollected, CrossMargin.Ledger	demo-028	demo-028	{"hash": "a683a69b74986c9fecb89ff6f176956df58a04e1254f8b2236956ef2c071c613", "actor": "demo", "prevHash": "035adbb2a5d7ca49244579043caee5b37389ff185d151186a64311f971458b6f", "commandId": "demo-028", "recordedAt": "2026-01-05T09:27:00.0000000Z"}	f
33	3622211f-5cf1-8b5c-aa1e-b733f5d2063f	account-dave	1	{"asset": "USDT", "amount": "25000", "account": "dave", "balanceAfter": "25000"}	\N	funds-deposited.v1	2026-11-26 17:12:23.924525+00	*DEFAULT*	CrossMargin.Ledger.Events.FundsDeposited, CrossMargin.Ledger	demo-029	demo-029	{"hash": "9332266be8ae3fb8e4eb1a7f4eebafd3cee642e059003a4985b95553fa921cab", "actor": "demo", "prevHash": "0000000000000000000000000000000000000000000000000000000000000000", "commandId": "demo-029", "recordedAt": "2026-01-05T09:28:00.0000000Z"}	f
34	e1dab37a-2cf3-8f74-a6fd-aac518a56475	account-dave	2	{"symbol": "BTCUSDT", "account": "dave", "leverage": "25"}	\N	leverage-set.v1	2026-11-26 17:12:23.928551+00	*DEFAULT*	CrossMargin.Ledger.Events.LeverageSet, CrossMargin.Ledger	demo-030	demo-030	{"hash": "71f8e9e2b5ccbbe3d8e9b0c5919a140c6a2a2f772346f9a285750bd348084e5c", "actor": "demo", "prevHash": "9332266be8ae3fb8e4eb1a7f4eebafd3cee642e059003a4985b95553fa921cab", "commandId": "demo-030", "recordedAt": "2026-01-05T09:29:00.0000000Z"}	f
35	3e1e93f6-33a9-81a0-b5bf-31130fc120f6	account-dave	3	{"fee": "122.4", "side": "long", "price": "51000", "effect": "open", "symbol": "BTCUSDT", "account": "dave", "feeAsset": "USDT", "quantity": "6", "sizeAfter": "6", "sizeBefore": "0", "realizedPnl": "0", "entryPriceAfter": "51000", "entryPriceBefore": "0"}	\N	trade-filled.v1	2026-11-26 17:12:23.932682+00	*DEFAULT*	CrossMargin.Ledger.Events.TradeFilled, CrossMargin.Ledger	demo-031	demo-031	{"hash": "310edcad8e56d2a7a0f05177c6b5ebd53687d16a6b90a562adf94fb17e1feb24", "actor": "demo", "prevHash": "71f8e9e2b5ccbbe3d8e9b0c5919a140c6a2a2f772346f9a285750bd348084e5c", "commandId": "demo-031", "recordedAt": "2026-01-05T09:30:00.0000000Z"}	f
36	b065f696-3d90-8588-9b35-ca15a6afda9b	fee-account	8	{"asset": "USDT", "amount": "122.4", "symbol": "BTCUSDT", "account": "dave"}	\N	trading-fee-collected.v1	2026-11-26 17:12:23.932689+00	*DEFAULT*	CrossMargin.Ledger.Events.TradingFeeCollected, CrossMargin.Ledger	demo-031	demo-031	{"hash": "a5ae75d767ebcd25bd00ac6cb233d3c2e1dc08b542977c2672e3c0b5fddc547c", "actor": "demo", "prevHash": "a683a69b74986c9fecb89ff6f176956df58a04e1254f8b2236956ef2c071c613", "commandId": "demo-031", "recordedAt": "2026-01-05T09:30:00.0000000Z"}	f
40	4d752b97-7eeb-812e-b618-8881594a10d7	insurance-fund	2	{"step": 1, "asset": "USDT", "delta": "-997.539474762940408873556", "account": "alice", "balanceAfter": "2.460525237059591126444", "liquidationId": "alice#1"}	\N	insurance-fund-changed.v1	2026-11-26 17:12:23.96529+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.InsuranceFundChanged, CrossMargin.Ledger	demo-032	demo-032	{"hash": "2857fb75f2bdc12ba53e269d4e377fda9cf8790777089e7509a8556f7a1a273c", "actor": "demo", "prevHash": "589faa96420a071968569cbf63d8c6bfc9b64c776dcb72fa7bcf920d9a0ce884", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
37	6734c5cf-63ac-8bd0-ae74-0c2cd2ee5c26	instrument-BTCUSDT	5	{"price": "47000", "symbol": "BTCUSDT"}	\N	mark-price-updated.v1	2026-11-26 17:12:23.965237+00	*DEFAULT*	CrossMargin.Ledger.Events.MarkPriceUpdated, CrossMargin.Ledger	demo-032	demo-032	{"hash": "684dd72256c8199ea7b93c875ebc8c72b630f6b72822c4d42b43d0d6c8d21709", "actor": "demo", "prevHash": "e1289c18a1090e9f9fd35243ec0672ac8fcaaecc9eafe988fd112b355f5e8c4c", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
38	3ee1cb3a-0021-89f6-a014-bf318ceb74f5	account-alice	7	{"buffer": "0.05", "equity": "-4620.7", "prices": [{"kind": "mark", "price": "47000", "symbol": "BTCUSDT"}], "account": "alice", "positions": [{"mmr": "0.005", "size": "1.5", "tier": 2, "symbol": "BTCUSDT", "notional": "70500", "markPrice": "47000", "entryPrice": "60000", "unrealizedPnl": "-19500", "maintenanceAmount": "50", "maintenanceMargin": "302.5"}], "marginRatio": null, "triggerType": "mark-price-updated.v1", "triggerPrice": "47000", "deficitPolicy": "adl", "insuranceFund": "1000", "liquidationId": "alice#1", "triggerSymbol": "BTCUSDT", "unrealizedPnl": "-19500", "collateralValue": "14879.3", "maintenanceMargin": "302.5"}	\N	liquidation-triggered.v1	2026-11-26 17:12:23.965249+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.LiquidationTriggered, CrossMargin.Ledger	demo-032	demo-032	{"hash": "0b9ac3281158b0ae4130c9efe5d83602875f6fde66fd07168760a3016dd999d6", "actor": "demo", "prevHash": "966ad68e8bf4adf941766a9291d3ba087e954e49f9ba5341c027555be225c4e3", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
39	4c33210f-7ca3-88b3-b0f4-571da85cb19e	account-alice	8	{"fee": "0", "rule": "tier-step-down", "side": "short", "step": 1, "asset": "USDT", "symbol": "BTCUSDT", "account": "alice", "quantity": "0.278", "execution": "market", "fillPrice": "47000", "markPrice": "47000", "sizeAfter": "1.222", "tierAfter": 2, "entryPrice": "60000", "sizeBefore": "1.5", "tierBefore": 2, "realizedPnl": "-3614", "liquidationId": "alice#1", "notionalAtMark": "13066", "bankruptcyPrice": "50588.271491953023053502", "insuranceFundDelta": "-997.539474762940408873556"}	\N	position-liquidated.v1	2026-11-26 17:12:23.965249+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.PositionLiquidated, CrossMargin.Ledger	demo-032	demo-032	{"hash": "023812475be1eaecb6600ee85db0eaa8cebb19f59754dc1e5bcc742ba8562d77", "actor": "demo", "prevHash": "0b9ac3281158b0ae4130c9efe5d83602875f6fde66fd07168760a3016dd999d6", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
41	6cb165eb-a308-82a0-8905-cf47c6035896	account-alice	9	{"fee": "0", "rule": "tier-step-down", "side": "short", "step": 1, "asset": "USDT", "symbol": "BTCUSDT", "account": "alice", "quantity": "0.159", "execution": "adl", "fillPrice": "50588.271491953023053502", "markPrice": "47000", "sizeAfter": "1.063", "tierAfter": 1, "entryPrice": "60000", "sizeBefore": "1.222", "tierBefore": 2, "realizedPnl": "-1496.464832779469334493182", "liquidationId": "alice#1", "notionalAtMark": "7473", "bankruptcyPrice": "50588.271491953023053502", "insuranceFundDelta": "0"}	\N	position-liquidated.v1	2026-11-26 17:12:23.965249+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.PositionLiquidated, CrossMargin.Ledger	demo-032	demo-032	{"hash": "4da542c73b3ab09e036f9eef83e988232306d0c16bed648fdb7964f1e44c1a44", "actor": "demo", "prevHash": "023812475be1eaecb6600ee85db0eaa8cebb19f59754dc1e5bcc742ba8562d77", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
43	18e14c30-01d6-894b-9429-e1156aa72574	account-alice	10	{"fee": "0", "rule": "close-in-tier-1", "side": "short", "step": 2, "asset": "USDT", "symbol": "BTCUSDT", "account": "alice", "quantity": "1.063", "execution": "adl", "fillPrice": "49871.707768595041322314", "markPrice": "47000", "sizeAfter": "0", "tierAfter": null, "entryPrice": "60000", "sizeBefore": "1.063", "tierBefore": 1, "realizedPnl": "-10766.374641983471074380218", "liquidationId": "alice#1", "notionalAtMark": "49961", "bankruptcyPrice": "49871.707768595041322314", "insuranceFundDelta": "0"}	\N	position-liquidated.v1	2026-11-26 17:12:23.965249+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.PositionLiquidated, CrossMargin.Ledger	demo-032	demo-032	{"hash": "32b607f6d17c239c49bc082c5682a87171d73c904ab22defd1af78941286d376", "actor": "demo", "prevHash": "4da542c73b3ab09e036f9eef83e988232306d0c16bed648fdb7964f1e44c1a44", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
45	e4d690f7-c15a-8aef-9d0d-f4615982326c	account-alice	11	{"steps": 2, "equity": "0.000000000000000000156", "account": "alice", "positions": [], "uncovered": "0", "socialized": "0", "insuranceFund": "2.460525237059591126444", "liquidationId": "alice#1", "deleveragedQuantity": "1.222", "coveredByInsuranceFund": "997.539474762940408873556"}	\N	account-bankrupt.v1	2026-11-26 17:12:23.965249+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.AccountBankrupt, CrossMargin.Ledger	demo-032	demo-032	{"hash": "6684db145cb79e64e41cba6e2b903bc071496bd71a98f37c45695f02a1a14185", "actor": "demo", "prevHash": "32b607f6d17c239c49bc082c5682a87171d73c904ab22defd1af78941286d376", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
48	a7419324-5fd4-8a53-b1f0-112dfafb24e4	insurance-fund	3	{"step": 1, "asset": "USDT", "delta": "64.014", "account": "dave", "balanceAfter": "66.474525237059591126444", "liquidationId": "dave#1"}	\N	insurance-fund-changed.v1	2026-11-26 17:12:23.96529+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.InsuranceFundChanged, CrossMargin.Ledger	demo-032	demo-032	{"hash": "156fbbf1454f50d257be1f3080236459a012bed652b0bea2fee5c77539a19e95", "actor": "demo", "prevHash": "2857fb75f2bdc12ba53e269d4e377fda9cf8790777089e7509a8556f7a1a273c", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
50	2656ad1f-7eb5-8a4c-ada0-bc1b7ffa24dc	insurance-fund	4	{"step": 2, "asset": "USDT", "delta": "400.064", "account": "dave", "balanceAfter": "466.538525237059591126444", "liquidationId": "dave#1"}	\N	insurance-fund-changed.v1	2026-11-26 17:12:23.96529+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.InsuranceFundChanged, CrossMargin.Ledger	demo-032	demo-032	{"hash": "e39413a62bdbe91931b03cc7f0dd2c86a562ebb4a9d9974b2de5749887737b18", "actor": "demo", "prevHash": "156fbbf1454f50d257be1f3080236459a012bed652b0bea2fee5c77539a19e95", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
42	3b54540e-3b63-8b7d-a1b7-05228630c5f6	account-bob	5	{"rank": 1, "asset": "USDT", "price": "50588.271491953023053502", "score": "0.232729987506475303", "symbol": "BTCUSDT", "account": "bob", "quantity": "0.159", "sizeAfter": "-1.341", "entryPrice": "60000", "sizeBefore": "-1.5", "realizedPnl": "1496.464832779469334493182", "liquidationId": "alice#1", "liquidatedAccount": "alice"}	\N	position-auto-deleveraged.v1	2026-11-26 17:12:23.965299+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.PositionAutoDeleveraged, CrossMargin.Ledger	demo-032	demo-032	{"hash": "d0af93511a7e000ea95933d6ad7d28c6785873afdcad67ed5e2c0df21180ec43", "actor": "demo", "prevHash": "630df02dc163bd3c5431fd3d3b3b681dcdbef756580d7c8d7d651c061ac06667", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
44	a7a52d1a-bee2-8768-a8af-c08d08375118	account-bob	6	{"rank": 1, "asset": "USDT", "price": "49871.707768595041322314", "score": "0.209885071984670554", "symbol": "BTCUSDT", "account": "bob", "quantity": "1.063", "sizeAfter": "-0.278", "entryPrice": "60000", "sizeBefore": "-1.341", "realizedPnl": "10766.374641983471074380218", "liquidationId": "alice#1", "liquidatedAccount": "alice"}	\N	position-auto-deleveraged.v1	2026-11-26 17:12:23.965299+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.PositionAutoDeleveraged, CrossMargin.Ledger	demo-032	demo-032	{"hash": "e1e7bbe5d198cf50f820249ff4b977ca18d9cff8e03bad81327dcbc6f49b2155", "actor": "demo", "prevHash": "d0af93511a7e000ea95933d6ad7d28c6785873afdcad67ed5e2c0df21180ec43", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
46	35f33957-7537-83bc-bc30-2601acfc64a9	account-dave	4	{"buffer": "0.05", "equity": "877.6", "prices": [{"kind": "mark", "price": "47000", "symbol": "BTCUSDT"}], "account": "dave", "positions": [{"mmr": "0.01", "size": "6", "tier": 3, "symbol": "BTCUSDT", "notional": "282000", "markPrice": "47000", "entryPrice": "51000", "unrealizedPnl": "-24000", "maintenanceAmount": "1300", "maintenanceMargin": "1520"}], "marginRatio": "1.731996353691886964", "triggerType": "mark-price-updated.v1", "triggerPrice": "47000", "deficitPolicy": "adl", "insuranceFund": "2.460525237059591126444", "liquidationId": "dave#1", "triggerSymbol": "BTCUSDT", "unrealizedPnl": "-24000", "collateralValue": "24877.6", "maintenanceMargin": "1520"}	\N	liquidation-triggered.v1	2026-11-26 17:12:23.965309+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.LiquidationTriggered, CrossMargin.Ledger	demo-032	demo-032	{"hash": "144d9b8fe38f1b5559903c48384828e6ea6b650b15bcc4ff545e64522071b31e", "actor": "demo", "prevHash": "310edcad8e56d2a7a0f05177c6b5ebd53687d16a6b90a562adf94fb17e1feb24", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
47	f7e4ad3a-91b3-8bc1-b3ed-f71def72f837	account-dave	5	{"fee": "64.014", "rule": "tier-step-down", "side": "short", "step": 1, "asset": "USDT", "symbol": "BTCUSDT", "account": "dave", "quantity": "0.681", "execution": "market", "fillPrice": "47000", "markPrice": "47000", "sizeAfter": "5.319", "tierAfter": 2, "entryPrice": "51000", "sizeBefore": "6", "tierBefore": 3, "realizedPnl": "-2724", "liquidationId": "dave#1", "notionalAtMark": "32007", "bankruptcyPrice": "46728.666515959502279929", "insuranceFundDelta": "64.014"}	\N	position-liquidated.v1	2026-11-26 17:12:23.965309+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.PositionLiquidated, CrossMargin.Ledger	demo-032	demo-032	{"hash": "ea8a8af51d5481526253ec1022a157d9b2887f9f4418a12c5b8c2beebb36aa6c", "actor": "demo", "prevHash": "144d9b8fe38f1b5559903c48384828e6ea6b650b15bcc4ff545e64522071b31e", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
49	34b40beb-2535-8aed-a9a0-c0bd1b8f1f4f	account-dave	6	{"fee": "400.064", "rule": "tier-step-down", "side": "short", "step": 2, "asset": "USDT", "symbol": "BTCUSDT", "account": "dave", "quantity": "4.256", "execution": "market", "fillPrice": "47000", "markPrice": "47000", "sizeAfter": "1.063", "tierAfter": 1, "entryPrice": "51000", "sizeBefore": "5.319", "tierBefore": 2, "realizedPnl": "-17024", "liquidationId": "dave#1", "notionalAtMark": "200032", "bankruptcyPrice": "46840.674307436332181243", "insuranceFundDelta": "400.064"}	\N	position-liquidated.v1	2026-11-26 17:12:23.965309+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.PositionLiquidated, CrossMargin.Ledger	demo-032	demo-032	{"hash": "3d0a6e0df066f525e14a4f28aec642dff2580e734eeb82e5a2ca9cbcc3574108", "actor": "demo", "prevHash": "ea8a8af51d5481526253ec1022a157d9b2887f9f4418a12c5b8c2beebb36aa6c", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
51	2ea86996-bfff-8f8f-b348-f58ea665b015	account-dave	7	{"steps": 2, "equity": "413.522", "account": "dave", "outcome": "healthy", "positions": [{"mmr": "0.004", "size": "1.063", "tier": 1, "symbol": "BTCUSDT", "notional": "49961", "markPrice": "47000", "entryPrice": "51000", "unrealizedPnl": "-4252", "maintenanceAmount": "0", "maintenanceMargin": "199.844"}], "marginRatio": "0.483272957666097572", "insuranceFund": "466.538525237059591126444", "liquidationId": "dave#1", "maintenanceMargin": "199.844"}	\N	liquidation-completed.v1	2026-11-26 17:12:23.965309+00	*DEFAULT*	CrossMargin.Ledger.Liquidation.LiquidationCompleted, CrossMargin.Ledger	demo-032	demo-032	{"hash": "81d1de7d225ca22d52bafb30f30f511bb57f7caa8b2ce7444fae74ab6d4889c3", "actor": "demo", "prevHash": "3d0a6e0df066f525e14a4f28aec642dff2580e734eeb82e5a2ca9cbcc3574108", "commandId": "demo-032", "recordedAt": "2026-01-05T09:31:00.0000000Z"}	f
\.


--
-- Data for Name: mt_high_water_skips; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.mt_high_water_skips (ending_sequence, starting_sequence, "timestamp") FROM stdin;
\.


--
-- Data for Name: mt_streams; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.mt_streams (id, type, version, "timestamp", created, tenant_id, compacted_version, is_archived) FROM stdin;
venue	\N	1	2026-11-26 17:12:23.787074+00	2026-11-26 17:12:23.787074+00	*DEFAULT*	0	f
instrument-ETHUSDT	\N	3	2026-11-26 17:12:23.728336+00	2026-11-26 17:12:23.728336+00	*DEFAULT*	0	f
account-carol	\N	3	2026-11-26 17:12:23.80428+00	2026-11-26 17:12:23.80428+00	*DEFAULT*	0	f
asset-BTC	\N	3	2026-11-26 17:12:23.74055+00	2026-11-26 17:12:23.74055+00	*DEFAULT*	0	f
fee-account	\N	8	2026-11-26 17:12:23.832133+00	2026-11-26 17:12:23.832133+00	*DEFAULT*	0	f
instrument-BTCUSDT	\N	5	2026-11-26 17:12:23.692892+00	2026-11-26 17:12:23.692892+00	*DEFAULT*	0	f
account-alice	\N	11	2026-11-26 17:12:23.795886+00	2026-11-26 17:12:23.795886+00	*DEFAULT*	0	f
insurance-fund	\N	4	2026-11-26 17:12:23.777931+00	2026-11-26 17:12:23.777931+00	*DEFAULT*	0	f
account-bob	\N	6	2026-11-26 17:12:23.800547+00	2026-11-26 17:12:23.800547+00	*DEFAULT*	0	f
account-dave	\N	7	2026-11-26 17:12:23.924717+00	2026-11-26 17:12:23.924717+00	*DEFAULT*	0	f
\.


--
-- Data for Name: trial_balance; Type: TABLE DATA; Schema: ledger; Owner: -
--

COPY ledger.trial_balance (ledger_account, asset, balance) FROM stdin;
external:deposits	USDT	-54000
insurance-fund	USDT	466.538525237059591126444
account:alice	USDT	0.000000000000000000156
external:deposits	BTC	-1
account:bob	BTC	0.9
account:carol	USDT	9459.8
fee-account	USDT	319.3
account:bob	USDT	12226.8394747629404088734
market:realized-pnl	USDT	26862
external:withdrawals	BTC	0.1
account:dave	USDT	4665.522
\.


--
-- Name: mt_events_sequence; Type: SEQUENCE SET; Schema: ledger; Owner: -
--

SELECT pg_catalog.setval('ledger.mt_events_sequence', 51, true);


--
-- Name: mt_event_progression pk_mt_event_progression; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.mt_event_progression
    ADD CONSTRAINT pk_mt_event_progression PRIMARY KEY (name);


--
-- Name: account_margin pkey_account_margin_account; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.account_margin
    ADD CONSTRAINT pkey_account_margin_account PRIMARY KEY (account);


--
-- Name: account_timeline pkey_account_timeline_account_global_position; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.account_timeline
    ADD CONSTRAINT pkey_account_timeline_account_global_position PRIMARY KEY (account, global_position);


--
-- Name: adl pkey_adl_global_position; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.adl
    ADD CONSTRAINT pkey_adl_global_position PRIMARY KEY (global_position);


--
-- Name: exposure pkey_exposure_symbol; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.exposure
    ADD CONSTRAINT pkey_exposure_symbol PRIMARY KEY (symbol);


--
-- Name: insurance_fund pkey_insurance_fund_global_position; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.insurance_fund
    ADD CONSTRAINT pkey_insurance_fund_global_position PRIMARY KEY (global_position);


--
-- Name: journal pkey_journal_global_position_line; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.journal
    ADD CONSTRAINT pkey_journal_global_position_line PRIMARY KEY (global_position, line);


--
-- Name: ledger_seals pkey_ledger_seals_global_position; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.ledger_seals
    ADD CONSTRAINT pkey_ledger_seals_global_position PRIMARY KEY (global_position);


--
-- Name: liquidation_ladder pkey_liquidation_ladder_symbol_direction_level; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.liquidation_ladder
    ADD CONSTRAINT pkey_liquidation_ladder_symbol_direction_level PRIMARY KEY (symbol, direction, level);


--
-- Name: liquidations pkey_liquidations_liquidation_id; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.liquidations
    ADD CONSTRAINT pkey_liquidations_liquidation_id PRIMARY KEY (liquidation_id);


--
-- Name: margin_distribution pkey_margin_distribution_band_order; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.margin_distribution
    ADD CONSTRAINT pkey_margin_distribution_band_order PRIMARY KEY (band_order);


--
-- Name: mt_doc_deadletterevent pkey_mt_doc_deadletterevent_id; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.mt_doc_deadletterevent
    ADD CONSTRAINT pkey_mt_doc_deadletterevent_id PRIMARY KEY (id);


--
-- Name: mt_doc_ledger_command pkey_mt_doc_ledger_command_id; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.mt_doc_ledger_command
    ADD CONSTRAINT pkey_mt_doc_ledger_command_id PRIMARY KEY (id);


--
-- Name: mt_event_projection_floors pkey_mt_event_projection_floors_name_tenant_id; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.mt_event_projection_floors
    ADD CONSTRAINT pkey_mt_event_projection_floors_name_tenant_id PRIMARY KEY (name, tenant_id);


--
-- Name: mt_events pkey_mt_events_seq_id; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.mt_events
    ADD CONSTRAINT pkey_mt_events_seq_id PRIMARY KEY (seq_id);


--
-- Name: mt_high_water_skips pkey_mt_high_water_skips_ending_sequence; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.mt_high_water_skips
    ADD CONSTRAINT pkey_mt_high_water_skips_ending_sequence PRIMARY KEY (ending_sequence);


--
-- Name: mt_streams pkey_mt_streams_id; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.mt_streams
    ADD CONSTRAINT pkey_mt_streams_id PRIMARY KEY (id);


--
-- Name: trial_balance pkey_trial_balance_ledger_account_asset; Type: CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.trial_balance
    ADD CONSTRAINT pkey_trial_balance_ledger_account_asset PRIMARY KEY (ledger_account, asset);


--
-- Name: idx_mt_events_event_id; Type: INDEX; Schema: ledger; Owner: -
--

CREATE UNIQUE INDEX idx_mt_events_event_id ON ledger.mt_events USING btree (id);


--
-- Name: pk_mt_events_stream_and_version; Type: INDEX; Schema: ledger; Owner: -
--

CREATE UNIQUE INDEX pk_mt_events_stream_and_version ON ledger.mt_events USING btree (stream_id, version);


--
-- Name: mt_events fkey_mt_events_stream_id; Type: FK CONSTRAINT; Schema: ledger; Owner: -
--

ALTER TABLE ONLY ledger.mt_events
    ADD CONSTRAINT fkey_mt_events_stream_id FOREIGN KEY (stream_id) REFERENCES ledger.mt_streams(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict EPRbxb1zP3IG6lplu5XPjDSg2pYSyoIIpcYmoadDuTRGYS5t8LB62tEwzjofstA

