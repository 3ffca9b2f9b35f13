package org.execnet4j.itests.jakartaee;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /events}: the gateway events observed so far, one per line. */
@WebServlet("/events")
public class EventsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    private transient GatewayLog log;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().write(String.join("\n", log.seen()));
    }
}
