package io.ascall.engineer.problem;

/** Ends a request with the given problem. */
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
