package org.execnet4j.cdi;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;

/**
 * Selects the configured group of that name: {@code @Inject @ExecnetGroup("workers") Group workers;}
 * gets the one application-scoped group made from the keys {@code execnet4j.group.workers.*}
 * ({@code specs}, {@code start}, {@code terminate.timeout}, {@code defaultSpec}). A name without
 * {@code specs} fails the deployment.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, PARAMETER, METHOD, TYPE})
public @interface ExecnetGroup {

    /**
     * The group's name, the part between {@code execnet4j.group.} and the key.
     *
     * @return the name
     */
    String value();

    /** The qualifier as a value, for {@code Instance.select} and synthetic beans. */
    final class Literal extends AnnotationLiteral<ExecnetGroup> implements ExecnetGroup {
        private static final long serialVersionUID = 1L;
        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        /**
         * The qualifier for one group.
         *
         * @param name the group's name
         * @return {@code @ExecnetGroup(name)}
         */
        public static Literal of(String name) {
            return new Literal(name);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
