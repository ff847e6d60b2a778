package io.ascall.problem;

/**
 * Ends a request with the given problem. An expected outcome, so it carries no stack trace; its
 * message is the problem's detail, for whoever logs it.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(String.valueOf(problem.body().get("detail")), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
