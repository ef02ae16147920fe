package io.jobplane.events.consume;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.jobplane.events.CloudEvent;
import io.jobplane.events.EventCodec;
import io.jobplane.events.MalformedEventException;

/**
 * What the events a consumer follows mean to it, Kafka apart: each followed type has a reader that
 * turns the event into the consumer's own item, or into null when there is nothing to do. Readers
 * are pure, so whatever one throws is the event's fault (a payload lacking a required field, say).
 * A type that is not followed is, as chosen: ignored once decoded (the default: consumers ignore
 * types they do not know, see docs/events.md), passed over without decoding, refused as malformed,
 * or read by a reader of its own. Configure once, then share.
 *
 * @param <E> what an event becomes for the consumer
 */
public final class EventRoutes<E> {

    private static final Logger LOG = Logger.getLogger(EventRoutes.class);

    private final Map<String, Function<CloudEvent, E>> readers = new HashMap<>();
    private Function<CloudEvent, E> otherwise = EventRoutes::ignored;
    private boolean passOverOthers;

    private EventRoutes() {
    }

    /** Routes that follow no type yet. */
    public static <E> EventRoutes<E> create() {
        return new EventRoutes<>();
    }

    /** Follows {@code type}: its data, read as {@code payload}, becomes an item (or null: nothing to do). */
    public <P> EventRoutes<E> on(String type, Class<P> payload, Function<P, E> reader) {
        readers.put(type, event -> reader.apply(event.dataAs(payload)));
        return this;
    }

    /** Follows {@code type}: the whole event (its trace context, say) becomes an item (or null: nothing to do). */
    public EventRoutes<E> onEvent(String type, Function<CloudEvent, E> reader) {
        readers.put(type, reader);
        return this;
    }

    /** Types not followed are passed over by their type alone: their data is never decoded. */
    public EventRoutes<E> passOverOthers() {
        passOverOthers = true;
        return this;
    }

    /** Types not followed are malformed: the consumer dead-letters them. */
    public EventRoutes<E> refuseOthers() {
        return otherwise(event -> {
            throw new MalformedEventException("event " + event.id() + " has the unknown type " + event.type());
        });
    }

    /** Types not followed are read by {@code reader}. */
    public EventRoutes<E> otherwise(Function<CloudEvent, E> reader) {
        otherwise = reader;
        return this;
    }

    /** True when the record is of a type that is passed over without decoding. */
    boolean passesOver(String value) {
        if (!passOverOthers) {
            return false;
        }
        // A record whose type cannot be read is decoded, so that it is refused with the reason.
        String type = EventCodec.type(value);
        return type != null && !readers.containsKey(type);
    }

    /**
     * The event as the consumer's item, or null.
     *
     * @throws MalformedEventException when its reader fails: the event is at fault
     */
    E read(CloudEvent event) {
        try {
            return readers.getOrDefault(event.type(), otherwise).apply(event);
        } catch (MalformedEventException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedEventException("event " + event.id() + " of type " + event.type()
                    + " lacks a required field or has an invalid one: " + e.getMessage(), e);
        }
    }

    private static <E> E ignored(CloudEvent event) {
        LOG.debugf("ignoring event %s of type %s: not followed here", event.id(), event.type());
        return null;
    }
}
