from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_reported.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_reported = missing
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_2 = environment.filters['prose']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'prose' found.")
    try:
        t_3 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    def macro(l_1_r, l_1_m):
        t_4 = []
        if l_1_r is missing:
            l_1_r = undefined("parameter 'r' was not provided", name='r')
        if l_1_m is missing:
            l_1_m = undefined("parameter 'm' was not provided", name='m')
        pass
        if (not t_3(l_1_r)):
            pass
            t_4.extend((
                '<div class="reported">\n<p class="reported-note"><strong>Reported results.</strong> ',
                escape(environment.getattr(l_1_r, 'note')),
                '</p>\n',
            ))
            if environment.getattr(l_1_r, 'notes'):
                pass
                t_4.append(
                    escape(t_2(environment.getattr(l_1_r, 'notes'), 3)),
                )
            if environment.getattr(l_1_r, 'gates'):
                pass
                t_4.extend((
                    '<p class="verdict ',
                    escape(('fail' if environment.getattr(l_1_r, 'gates_failed') else 'pass')),
                    '"><strong>',
                ))
                if environment.getattr(l_1_r, 'gates_failed'):
                    pass
                    t_4.extend((
                        escape(environment.getattr(l_1_r, 'gates_failed')),
                        ' of ',
                        escape(t_1(environment.getattr(environment.getattr(l_1_r, 'gates'), 'rows'))),
                        ' gates on reported results failed.',
                    ))
                else:
                    pass
                    t_4.append(
                        'Gates on reported results: none failed.',
                    )
                t_4.extend((
                    '</strong></p>\n',
                    escape(context.call(environment.getattr(l_1_m, 'table'), environment.getattr(l_1_r, 'gates'))),
                    '\n',
                ))
            for l_2_t in environment.getattr(l_1_r, 'tables'):
                _loop_vars = {}
                pass
                t_4.extend((
                    escape(context.call(environment.getattr(l_1_m, 'table'), l_2_t, _loop_vars=_loop_vars)),
                    '\n',
                ))
            l_2_t = missing
            t_4.append(
                '</div>\n',
            )
        return concat(t_4)
    context.exported_vars.add('reported')
    context.vars['reported'] = l_0_reported = Macro(environment, macro, 'reported', ('r', 'm'), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '4=30&5=37&7=41&8=44&9=49&10=53&11=71&13=74&14=78'