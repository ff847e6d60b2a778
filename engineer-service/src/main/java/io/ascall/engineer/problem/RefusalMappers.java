package io.ascall.engineer.problem;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.ascall.engineer.AssignmentRefused;
import io.ascall.engineer.DispatchTransitionRefused;
import io.ascall.problem.CommonProblemType;
import io.ascall.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * A step an assignment or a dispatch does not allow is the client's 409, not a failure of ours
 * (io.ascall.problem maps the rest). engineer-service has no problem types of its own.
 */
public class RefusalMappers {

    @ServerExceptionMapper
    public Response refused(AssignmentRefused e, UriInfo uri) {
        return Problem.of(CommonProblemType.CONFLICT, e.getMessage()).at(uri).toResponse();
    }

    @ServerExceptionMapper
    public Response refused(DispatchTransitionRefused e, UriInfo uri) {
        return Problem.of(CommonProblemType.CONFLICT, e.getMessage()).at(uri).toResponse();
    }
}
