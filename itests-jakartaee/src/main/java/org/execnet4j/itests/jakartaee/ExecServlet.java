package org.execnet4j.itests.jakartaee;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.execnet4j.api.Group;
import org.execnet4j.api.MultiChannel;
import org.execnet4j.cdi.ExecnetGroup;

/**
 * {@code GET /exec?x=21}: sends x to every gateway of the configured group {@code workers},
 * whose code sends back {@code (x * 2, its pid)}; answers one line per gateway, e.g. {@code 42 4711}.
 */
@WebServlet("/exec")
public class ExecServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String DOUBLE_IT = "import os\nchannel.send((channel.receive() * 2, os.getpid()))\n";

    @Inject
    @ExecnetGroup("workers")
    private transient Group workers;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int x = Integer.parseInt(request.getParameter("x"));
        MultiChannel channels = workers.remoteExec(DOUBLE_IT);
        channels.sendEach(x);
        StringBuilder answer = new StringBuilder();
        for (Object reply : channels.receiveEach(TIMEOUT)) {
            List<?> pair = (List<?>) reply;
            answer.append(pair.get(0)).append(' ').append(pair.get(1)).append('\n');
        }
        response.setContentType("text/plain");
        response.getWriter().write(answer.toString());
    }
}
