using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;

namespace BookBatch.Tests.Architecture
{
    /// <summary>
    /// The module's types read from the compiled assembly: which types each one names in its base type, interfaces,
    /// fields, properties, signatures, locals and method bodies (the tokens of its IL), nested and compiler-made types
    /// (lambdas, iterators) counted as their outermost declaring type.
    /// </summary>
    internal static class ModuleTypeUses
    {
        private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        private static readonly Dictionary<short, OpCode> OpCodesByValue =
            typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (OpCode)f.GetValue(null)!)
                .ToDictionary(o => o.Value);

        /// <summary>The outermost declaring type of <paramref name="type"/>.</summary>
        public static Type Outermost(Type type)
        {
            while (type.DeclaringType != null) type = type.DeclaringType;
            return type;
        }

        /// <summary>Every type of the module that <paramref name="type"/> (with its nested types) names, other than itself.</summary>
        public static IEnumerable<Type> UsesOf(Type type)
        {
            var found = new HashSet<Type>();
            foreach (var part in WithNested(type))
                foreach (var used in Direct(part)) Expand(used, found);
            return found.Where(t => t.Assembly == type.Assembly).Select(Outermost).Where(t => t != Outermost(type)).Distinct();
        }

        // A type and every type declared inside it: closures of lambdas and the state machines of async methods and
        // iterators hold those methods' bodies.
        private static IEnumerable<Type> WithNested(Type type) =>
            new[] { type }.Concat(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(WithNested));

        private static void Expand(Type? type, HashSet<Type> found)
        {
            if (type == null || type.IsGenericParameter || !found.Add(type)) return;
            if (type.HasElementType) Expand(type.GetElementType(), found);
            if (type.IsGenericType)
                foreach (var argument in type.GetGenericArguments()) Expand(argument, found);
        }

        private static IEnumerable<Type?> Direct(Type type)
        {
            yield return type.BaseType;
            foreach (var i in type.GetInterfaces()) yield return i;
            foreach (var f in type.GetFields(All)) yield return f.FieldType;
            foreach (var p in type.GetProperties(All)) yield return p.PropertyType;
            var methods = type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All));
            foreach (var m in methods)
            {
                if (m is MethodInfo info) yield return info.ReturnType;
                foreach (var p in m.GetParameters()) yield return p.ParameterType;
                foreach (var used in BodyOf(m)) yield return used;
            }
        }

        private static IEnumerable<Type?> BodyOf(MethodBase method)
        {
            var body = method.GetMethodBody();
            if (body == null) yield break;
            foreach (var local in body.LocalVariables) yield return local.LocalType;
            foreach (var clause in body.ExceptionHandlingClauses)
                if (clause.Flags == ExceptionHandlingClauseOptions.Clause) yield return clause.CatchType;
            var il = body.GetILAsByteArray() ?? Array.Empty<byte>();
            foreach (var token in Tokens(il))
                foreach (var used in Resolve(method, token)) yield return used;
        }

        private static IEnumerable<Type?> Resolve(MethodBase method, int token)
        {
            var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
            var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
            MemberInfo? member;
            try { member = method.Module.ResolveMember(token, typeArgs, methodArgs); }
            catch (ArgumentException) { yield break; }
            switch (member)
            {
                case Type t: yield return t; break;
                case FieldInfo f: yield return f.DeclaringType; yield return f.FieldType; break;
                case MethodBase m:
                    yield return m.DeclaringType;
                    if (m is MethodInfo mi)
                    {
                        yield return mi.ReturnType;
                        if (mi.IsGenericMethod) foreach (var a in mi.GetGenericArguments()) yield return a;
                    }
                    foreach (var p in m.GetParameters()) yield return p.ParameterType;
                    break;
            }
        }

        // The metadata tokens an IL body names (types, fields, methods, ldtoken), walking it opcode by opcode.
        private static IEnumerable<int> Tokens(byte[] il)
        {
            var at = 0;
            while (at < il.Length)
            {
                short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
                at += il[at] == 0xFE ? 2 : 1;
                var op = OpCodesByValue[value];
                switch (op.OperandType)
                {
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineType:
                    case OperandType.InlineTok:
                        yield return BitConverter.ToInt32(il, at);
                        at += 4;
                        break;
                    case OperandType.InlineSwitch:
                        at += 4 + 4 * BitConverter.ToInt32(il, at);
                        break;
                    default:
                        at += OperandSize(op.OperandType);
                        break;
                }
            }
        }

        private static int OperandSize(OperandType type) => type switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            _ => 4,
        };
    }
}
