package io.ascall.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** Reading the log files of child processes: their last lines for error messages, and new lines as they come. */
final class LogTail {

    /** Bytes read at most from the end of a log for its last lines (stack traces included). */
    private static final int TAIL_BYTES = 64 * 1024;

    private LogTail() {}

    /** The last {@code lines} lines of {@code file}, or a note that it is missing or empty. */
    static String lastLines(Path file, int lines) {
        if (file == null || !Files.isRegularFile(file)) {
            return "(no log file " + file + ")";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long from = Math.max(0, length - TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(bytes);
            Deque<String> last = new ArrayDeque<>();
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\\R")) {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
            return last.isEmpty() ? "(" + file + " is empty)" : String.join(System.lineSeparator(), last);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** A block for error messages: the log's path and its last lines, indented. */
    static String describe(Path file, int lines) {
        return System.lineSeparator() + "--- last lines of " + file + " ---" + System.lineSeparator()
                + lastLines(file, lines) + System.lineSeparator() + "---";
    }

    static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Follows a growing log from a given offset and tells whether a text has appeared since.
     * Remembers where it stopped, so each poll only reads what was appended.
     */
    static final class Follower {

        private final Path file;
        private final String text;
        private long position;
        private String carry = "";

        Follower(Path file, long fromOffset, String text) {
            this.file = file;
            this.position = fromOffset;
            this.text = text;
        }

        boolean seen() throws IOException {
            if (!Files.isRegularFile(file)) {
                return false;
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long length = in.length();
                if (length <= position) {
                    return false;
                }
                byte[] bytes = new byte[(int) Math.min(length - position, Integer.MAX_VALUE - 16)];
                in.seek(position);
                in.readFully(bytes);
                position += bytes.length;
                String chunk = carry + new String(bytes, StandardCharsets.UTF_8);
                if (chunk.contains(text)) {
                    return true;
                }
                // keep enough of the end to find the text split across two reads
                carry = chunk.substring(Math.max(0, chunk.length() - text.length()));
                return false;
            }
        }
    }
}
