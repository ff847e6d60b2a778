/**
 * The engineers' live assignment streams ({@code GET /engineers/{id}/assignments/stream}, served
 * by {@link io.ascall.engineer.rest.AssignmentStreamResource}).
 *
 * <ul>
 * <li>{@link io.ascall.engineer.stream.AssignmentFeed}: each engineer's feed of assignment changes,
 * written in the transaction of each change (by {@link io.ascall.engineer.messaging.EngineerEvents},
 * next to the change's outbox event) and numbered per engineer; the numbers are the SSE ids.</li>
 * <li>{@link io.ascall.engineer.stream.FeedListener}: the instance's one LISTEN connection; a commit on
 * any replica wakes the streams of that engineer open here.</li>
 * <li>{@link io.ascall.engineer.stream.EngineerStreams}: the open streams by engineer, the shared
 * heartbeat tick, shutdown.</li>
 * <li>{@link io.ascall.engineer.stream.EngineerStream}: one client's stream: replay from the
 * database, then live, with a bounded buffer.</li>
 * </ul>
 */
package io.ascall.engineer.stream;
