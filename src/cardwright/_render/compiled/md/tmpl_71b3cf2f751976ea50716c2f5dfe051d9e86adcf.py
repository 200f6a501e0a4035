from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_reported.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_reported = missing
    try:
        t_1 = environment.filters['cell']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'cell' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_3 = environment.filters['prose']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'prose' found.")
    try:
        t_4 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    def macro(l_1_r, l_1_m):
        t_5 = []
        if l_1_r is missing:
            l_1_r = undefined("parameter 'r' was not provided", name='r')
        if l_1_m is missing:
            l_1_m = undefined("parameter 'm' was not provided", name='m')
        pass
        if (not t_4(l_1_r)):
            pass
            t_5.extend((
                '> **Reported results.** ',
                str(t_1(environment.getattr(l_1_r, 'note'))),
                '\n\n',
            ))
            if environment.getattr(l_1_r, 'notes'):
                pass
                t_5.extend((
                    str(t_3(environment.getattr(l_1_r, 'notes'), 3)),
                    '\n\n',
                ))
            if environment.getattr(l_1_r, 'gates'):
                pass
                t_5.append(
                    '**',
                )
                if environment.getattr(l_1_r, 'gates_failed'):
                    pass
                    t_5.extend((
                        str(environment.getattr(l_1_r, 'gates_failed')),
                        ' of ',
                        str(t_2(environment.getattr(environment.getattr(l_1_r, 'gates'), 'rows'))),
                        ' gates on reported results failed.',
                    ))
                else:
                    pass
                    t_5.append(
                        'Gates on reported results: none failed.',
                    )
                t_5.extend((
                    '**\n\n',
                    str(context.call(environment.getattr(l_1_m, 'table'), environment.getattr(l_1_r, 'gates'))),
                    '\n\n',
                ))
            for l_2_t in environment.getattr(l_1_r, 'tables'):
                _loop_vars = {}
                pass
                t_5.extend((
                    str(context.call(environment.getattr(l_1_m, 'table'), l_2_t, _loop_vars=_loop_vars)),
                    '\n\n',
                ))
            l_2_t = missing
        return concat(t_5)
    context.exported_vars.add('reported')
    context.vars['reported'] = l_0_reported = Macro(environment, macro, 'reported', ('r', 'm'), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '4=36&5=43&6=47&8=50&9=53&12=56&13=61&15=76&18=79&19=83'